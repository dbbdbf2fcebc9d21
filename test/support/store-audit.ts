import * as path from 'node:path';
import { conventionIdOf, figuresOf, fold, upcast, type RegisteredConvention } from '@cl/domain';
import { SqliteEventStore, type RecordedEvent } from '@cl/event-store';
import { balanceOf } from '@cl/read-models';
import { REFERENCE_RESERVED, referenceStream } from '../../apps/api/src/conventions/application/reference-reservations';
import { getOnceProjected, type JsonClient } from './json-client';
import { bearer, TEST_TOKENS } from './test-app';

/**
 * What the crash tests check on the raw facts: the embedded store of a DATA_DIR read through the
 * event-store adapter (after the process died, or beside it: the store is safe to share between
 * processes), and the read models compared with a fold of those facts by the domain.
 */
export async function storedEvents(dataDir: string): Promise<RecordedEvent[]> {
  const store = new SqliteEventStore(path.join(dataDir, 'events.sqlite'));
  try {
    const all: RecordedEvent[] = [];
    for (;;) {
      const batch = await store.readAll({ after: all.at(-1)?.position, maxCount: 5000 });
      if (batch.length === 0) return all;
      all.push(...batch);
    }
  } finally {
    await store.close();
  }
}

/** The events of each convention stream, in revision order, by convention id. */
export function conventionHistories(events: readonly RecordedEvent[]): Map<string, RecordedEvent[]> {
  const histories = new Map<string, RecordedEvent[]>();
  for (const event of events) {
    const id = conventionIdOf(event.streamId);
    if (id === undefined) continue;
    histories.set(id, [...(histories.get(id) ?? []), event]);
  }
  return histories;
}

/** The convention as its recorded facts leave it, by the domain's own fold. */
export const foldHistory = (history: readonly RecordedEvent[]): RegisteredConvention =>
  fold(history.map((e) => upcast({ type: e.type, schemaVersion: e.metadata.schemaVersion, data: e.data }))) as RegisteredConvention;

/** The balance the API must answer for a history: the domain's figures, in the API's format. */
export const balanceFromFacts = (conventionId: string, history: readonly RecordedEvent[]) => balanceOf(conventionId, figuresOf(foldHistory(history)));

/**
 * Problems with how the facts hold each Idempotency-Key (empty when none): within a convention
 * stream, the events recorded under one key must be one append (consecutive revisions, one
 * request id), so that a command is never applied twice nor in part; with `commands`, each
 * key's events must be exactly those its command records.
 */
export function keyProblems(events: readonly RecordedEvent[], commands?: ReadonlyMap<string, { records: readonly string[] }>): string[] {
  const runs = new Map<string, RecordedEvent[]>();
  for (const event of events) {
    const key = event.metadata.idempotencyKey;
    if (key === undefined || conventionIdOf(event.streamId) === undefined) continue;
    runs.set(`${event.streamId} ${key}`, [...(runs.get(`${event.streamId} ${key}`) ?? []), event]);
  }
  const problems: string[] = [];
  for (const [where, run] of runs) {
    const consecutive = run.every((event, i) => i === 0 || event.revision === run[i - 1].revision + 1);
    const oneRequest = new Set(run.map((event) => event.metadata.requestId)).size === 1;
    if (!consecutive || !oneRequest) problems.push(`${where}: revisions ${run.map((e) => e.revision).join(',')} from ${new Set(run.map((e) => e.metadata.requestId)).size} requests`);
    const expected = commands?.get(run[0].metadata.idempotencyKey!)?.records;
    if (expected && run.map((e) => e.type).join() !== expected.join()) problems.push(`${where}: recorded ${run.map((e) => e.type).join(', ')}, not ${expected.join(', ')}`);
  }
  return problems;
}

/**
 * T6 both ways (docs/architecture.md, "Unique references"): every reservation names a convention
 * registered under its reference, and every registration holds its reservation. Empty when so.
 */
export function reservationProblems(events: readonly RecordedEvent[]): string[] {
  const registered = new Map<string, { reference: string; funder: string }>();
  for (const event of events) {
    if (event.type !== 'ConventionRegistered') continue;
    const data = event.data as { reference: string; funder: { organisation: string } };
    registered.set(conventionIdOf(event.streamId)!, { reference: data.reference, funder: data.funder.organisation });
  }
  const reservations = new Map<string, string>();
  for (const event of events) {
    if (event.type === REFERENCE_RESERVED) reservations.set(event.streamId, (event.data as { conventionId: string }).conventionId);
  }
  const problems: string[] = [];
  for (const [stream, conventionId] of reservations) {
    if (!registered.has(conventionId)) problems.push(`${stream} reserves ${conventionId}, never registered`);
  }
  for (const [conventionId, { reference, funder }] of registered) {
    if (reservations.get(referenceStream(funder, reference)) !== conventionId) problems.push(`${conventionId} (${reference}) registered without its reservation`);
  }
  return problems;
}

/**
 * Once the read models include `head` (?minPosition), every convention's history and balance as
 * the API answers them equal the facts: the same events, and the figures of the fold.
 */
export async function expectReadModelsMatchFacts(client: JsonClient, events: readonly RecordedEvent[]): Promise<void> {
  const head = events.at(-1)?.position ?? 0;
  const auditor = bearer(TEST_TOKENS.auditor);
  for (const [id, history] of conventionHistories(events)) {
    const listed = await getOnceProjected(client, `/conventions/${id}/events?minPosition=${head}`, auditor);
    expect({ id, status: listed.status, events: (listed.body.events as { eventId: string; position: number }[]).map((e) => [e.eventId, e.position]) })
      .toEqual({ id, status: 200, events: history.map((e) => [e.id, e.position]) });
    const balance = await getOnceProjected(client, `/conventions/${id}/balance?minPosition=${head}`, auditor);
    expect({ id, status: balance.status, balance: balance.body }).toEqual({ id, status: 200, balance: balanceFromFacts(id, history) });
  }
}
