import type { RecordedEvent } from '../event-store.port';
import { GENESIS_HASH, eventHashOf, isChained, linkHashOf } from './event-hash';

/**
 * How a stream's chain is broken (docs/audit.md, "Tamper evidence"):
 * - changed: an event's content no longer matches its hash (or its hash was stripped);
 * - removed: a revision is missing, or an event links to one that is no longer there;
 * - inserted: an event links to an event further back than the one before it;
 * - reordered: an event links to one that now comes after it, or its log position is before
 *   its predecessor's.
 */
export type BreakKind = 'changed' | 'removed' | 'inserted' | 'reordered';

export interface BrokenLink {
  kind: BreakKind;
  streamId: string;
  revision: number;
  position: number;
  detail: string;
}

export interface StreamChainCheck {
  /** Events recorded before the chain existed (no hash), covered by the first chained event after them. */
  legacyEvents: number;
  broken?: BrokenLink;
}

/** Checks one stream's chain; `events` are the whole stream, as read, in revision order. */
export function checkStreamChain(events: RecordedEvent[]): StreamChainCheck {
  const links: string[] = [];
  let link = GENESIS_HASH;
  let legacyEvents = 0;
  let chainStarted = false;
  for (const [index, event] of events.entries()) {
    const broken = (kind: BreakKind, detail: string): StreamChainCheck => ({
      legacyEvents,
      broken: { kind, streamId: event.streamId, revision: event.revision, position: event.position, detail },
    });
    const expectedRevision = index === 0 ? 0 : events[index - 1].revision + 1;
    if (event.revision !== expectedRevision) {
      return broken('removed', `revision${event.revision - expectedRevision > 1 ? `s ${expectedRevision}..${event.revision - 1} are` : ` ${expectedRevision} is`} missing before it`);
    }
    if (isChained(event)) {
      if (eventHashOf(event) !== event.metadata.hash) return broken('changed', 'its content no longer matches its recorded hash');
      const linked = event.metadata.previousHash;
      if (linked !== link) return broken(...classifyWrongLink(events, links, index, linked, chainStarted));
      chainStarted = true;
    } else {
      if (chainStarted) return broken('changed', 'it carries no hash although earlier events of its stream do: its hash was removed');
      legacyEvents++;
    }
    if (index > 0 && event.position <= events[index - 1].position) {
      return broken('reordered', `its log position ${event.position} is not after revision ${index - 1}'s (${events[index - 1].position})`);
    }
    link = linkHashOf(event, link);
    links.push(link);
  }
  return { legacyEvents };
}

function classifyWrongLink(
  events: RecordedEvent[],
  linksSoFar: string[],
  index: number,
  linked: string | undefined,
  chainStarted: boolean,
): [BreakKind, string] {
  const shown = linked === undefined ? 'no previous hash' : `previous hash ${linked.slice(0, 12)}…`;
  if (linked === GENESIS_HASH) return ['inserted', `it was the first event of its stream (${shown}): revisions 0..${index - 1} were inserted before it`];
  const earlier = linksSoFar.indexOf(linked ?? '');
  if (earlier >= 0) return ['inserted', `it follows revision ${earlier} (${shown}): revision${index - earlier > 2 ? `s ${earlier + 1}..${index - 1} were` : ` ${earlier + 1} was`} inserted before it`];
  const later = events.findIndex((other, at) => at > index && other.metadata.hash === linked);
  if (later >= 0) return ['reordered', `it follows the event now at revision ${later} (${shown}), which comes after it`];
  if (!chainStarted && index > 0) {
    return ['changed', `its ${shown} does not match the events recorded before the chain (revisions 0..${index - 1}): one of them was changed`];
  }
  return ['removed', `the event it follows (${shown}) is no longer in the stream: removed, or rewritten with another hash`];
}
