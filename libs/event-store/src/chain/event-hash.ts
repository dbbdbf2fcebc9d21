import { createHash } from 'node:crypto';
import type { EventMetadata, NewEvent } from '../event-store.port';
import { canonicalJson } from './canonical-json';

/** The `previousHash` of a stream's first event: 64 zeros. */
export const GENESIS_HASH = '0'.repeat(64);

/** What the chain hashes of an event: what was stored, never an upcast form. */
export interface HashableEvent {
  id: string;
  type: string;
  data: Record<string, unknown>;
  metadata: EventMetadata;
}

/** SHA-256, lowercase hex, of the UTF-8 bytes of a value's canonical JSON. */
export function contentHashOf(value: unknown): string {
  return createHash('sha256').update(canonicalJson(value), 'utf8').digest('hex');
}

/**
 * The hash of an event: over the canonical JSON of `{ id, type, data, metadata }`, metadata
 * without its own `hash` member (and with `previousHash`, which links it to the event before).
 */
export function eventHashOf(event: HashableEvent): string {
  const { hash: _ownHash, ...metadata } = event.metadata;
  return contentHashOf({ id: event.id, type: event.type, data: event.data, metadata });
}

/** Whether the event was recorded with a chain hash (events recorded before the chain existed were not). */
export const isChained = (event: HashableEvent): boolean => typeof event.metadata.hash === 'string';

/**
 * The hash the next event of the stream links to. A chained event's is its stored hash. An
 * event recorded before the chain existed is hashed as if it carried `previousHash` (the
 * link hash of the event before it), so the first chained event after it covers every legacy
 * event of the stream too.
 */
export function linkHashOf(event: HashableEvent, previousLink: string): string {
  if (isChained(event)) return event.metadata.hash!;
  return eventHashOf({ ...event, metadata: { ...event.metadata, previousHash: previousLink } });
}

/** The link hash after a stream's events, given in revision order from revision 0. */
export function linkHashAfter(events: HashableEvent[]): string {
  return events.reduce((link, event) => linkHashOf(event, link), GENESIS_HASH);
}

/** Seals a batch about to be appended after an event whose link hash is `previousLink`. */
export function chainBatch(events: NewEvent[], previousLink: string): NewEvent[] {
  let link = previousLink;
  return events.map((event) => {
    const { hash: _ignored, ...given } = event.metadata;
    const linked: NewEvent = { ...event, metadata: { ...given, previousHash: link } };
    link = eventHashOf(linked);
    return { ...linked, metadata: { ...linked.metadata, hash: link } };
  });
}
