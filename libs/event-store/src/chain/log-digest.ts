import type { RecordedEvent } from '../event-store.port';
import { GENESIS_HASH, contentHashOf, eventHashOf } from './event-hash';

/**
 * The digest of the log up to a position: a running hash over the global order, from 64 zeros,
 * D = SHA-256(canonicalJson({ previous: D, streamId, revision, hash })) per event, where `hash` is
 * the event's hash recomputed from what is stored (eventHashOf). Written `<hex>@<position>`.
 */
export class RunningDigest {
  private value = GENESIS_HASH;

  add(event: RecordedEvent): void {
    this.value = contentHashOf({ previous: this.value, streamId: event.streamId, revision: event.revision, hash: eventHashOf(event) });
  }

  get current(): string {
    return this.value;
  }
}

export interface LogDigest {
  value: string;
  position: number;
}

export const formatDigest = (digest: LogDigest): string => `${digest.value}@${digest.position}`;

export function parseDigest(text: string): LogDigest {
  const match = /^([0-9a-f]{64})@(\d+)$/.exec(text.trim());
  if (!match) throw new Error(`a digest is <64 lowercase hex digits>@<position>, got '${text}'`);
  return { value: match[1], position: Number(match[2]) };
}
