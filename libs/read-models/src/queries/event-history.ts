import { conventionStream, isConventionEventType } from '@cl/domain';
import type { EventStore, RecordedEvent } from '@cl/event-store';
import type { EventPage, EventView } from './views';

/** Events asked of the store at once when a page has no limit. */
const STORE_PAGE = 500;

/**
 * A page of a convention's history, read from the event store (docs/read-models.md, "History from
 * the store"): its events as recorded (data as stored, not upcast), in revision order, from
 * fromRevision, cut at `lastRevision`, the last revision the read models asked about include
 * (rm_conventions.last_revision). The cut keeps the history in step with the rest of the read
 * models (the balance and the history of one answer agree; ?minPosition waits for both) and, in a
 * knownAt view, makes the history the events known then. Events of a type this version does not
 * know are not part of it, as the projection skips them.
 */
export async function readHistoryPage(
  store: EventStore, conventionId: string, lastRevision: number, page: { fromRevision?: number; limit?: number },
): Promise<EventPage> {
  const limit = page.limit ?? Number.POSITIVE_INFINITY;
  const shown: RecordedEvent[] = [];
  let more = false;
  for (let from = page.fromRevision ?? 0; from <= lastRevision && !more;) {
    // One event more than the page holds tells whether another page follows.
    const maxCount = Math.min(lastRevision - from + 1, limit - shown.length + 1, STORE_PAGE);
    const read = await store.readStream(conventionStream(conventionId), { fromRevision: from, maxCount });
    if (read.length === 0) break;
    for (const recorded of read) {
      if (recorded.revision > lastRevision) break;
      if (!isConventionEventType(recorded.type)) continue;
      if (shown.length === limit) {
        more = true;
        break;
      }
      shown.push(recorded);
    }
    from = read[read.length - 1].revision + 1;
  }
  return { events: shown.map(eventViewOf), nextRevision: more ? shown[shown.length - 1].revision + 1 : null };
}

/** One event as docs/api.md shows it (GET …/events, its NDJSON form, and the global GET /events). */
export function eventViewOf(recorded: RecordedEvent): EventView {
  const { actor } = recorded.metadata;
  return {
    eventId: recorded.id,
    type: recorded.type,
    schemaVersion: recorded.metadata.schemaVersion,
    data: recorded.data,
    revision: recorded.revision,
    position: recorded.position,
    recordedAt: recorded.recordedAt,
    actor: { subject: actor.subject, roles: actor.roles, ...(actor.organisation !== undefined ? { organisation: actor.organisation } : {}) },
    request: {
      requestId: recorded.metadata.requestId ?? null,
      correlationId: recorded.metadata.correlationId ?? null,
      causationId: recorded.metadata.causationId ?? null,
      idempotencyKey: recorded.metadata.idempotencyKey ?? null,
    },
  };
}
