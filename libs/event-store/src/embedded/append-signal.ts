import { resolve } from 'node:path';
import { isInMemory } from './sqlite-schema';

type Listener = () => void;

/**
 * Wakes subscriptions as soon as an append commits in this process, across every store opened
 * on the same file (the API and an in-process projector may hold separate connections).
 * Appends by other processes are not signalled here: subscriptions also poll for them.
 */
const listenersByDatabase = new Map<string, Set<Listener>>();
let inMemoryDatabases = 0;

/** In-memory databases are private to their connection, so each gets its own key. */
export function appendSignalKey(filename: string): string {
  return isInMemory(filename) ? `:memory:#${++inMemoryDatabases}` : resolve(filename);
}

export function listenForAppends(key: string, listener: Listener): () => void {
  let listeners = listenersByDatabase.get(key);
  if (!listeners) {
    listeners = new Set();
    listenersByDatabase.set(key, listeners);
  }
  listeners.add(listener);
  return () => {
    listeners.delete(listener);
    if (listeners.size === 0 && listenersByDatabase.get(key) === listeners) listenersByDatabase.delete(key);
  };
}

export function signalAppend(key: string): void {
  for (const listener of [...(listenersByDatabase.get(key) ?? [])]) listener();
}
