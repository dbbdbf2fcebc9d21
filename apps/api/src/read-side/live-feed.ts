import { conventionStream } from '@cl/domain';
import type { AllSubscription, EventStore, RecordedEvent } from '@cl/event-store';

/**
 * Events from a position on, then the new ones as they are recorded, until closed: what a
 * Server-Sent Events answer sends (docs/api.md "Live feed"). `close()` ends the iteration even
 * while it waits for the next event (a client gone, the application shutting down).
 */
export interface LiveFeed extends AsyncIterable<RecordedEvent> {
  close(): Promise<void>;
}

/**
 * The whole log after `after` (exclusive), live. Straight from the store's global log, as the
 * webhooks are (not the read models' history, which lags the store while the projector catches
 * up): its subscription neither repeats nor skips an event, catch-up and live alike.
 */
export function logFeed(store: EventStore, after: number): LiveFeed {
  return store.subscribeToAll({ after });
}

/**
 * One convention's events after the global position `after` (exclusive), live. The catch-up reads
 * the convention's own stream rather than scanning the whole log; the subscription then starts
 * after the later of the log's head as it was before that read and the last event read, and
 * keeps only this stream's events. A stream's positions grow with its revisions, so every event
 * of the stream up to that point was in the read: nothing is missed, nothing sent twice.
 */
export function conventionFeed(store: EventStore, conventionId: string, after: number): LiveFeed {
  const streamId = conventionStream(conventionId);
  let subscription: AllSubscription | undefined;
  let closed = false;
  async function* events(): AsyncGenerator<RecordedEvent> {
    const head = await store.headPosition();
    const history = await store.readStream(streamId);
    let last = Math.max(after, head);
    for (const recorded of history) {
      if (closed) return;
      last = Math.max(last, recorded.position);
      if (recorded.position > after) yield recorded;
    }
    if (closed) return;
    subscription = store.subscribeToAll({ after: last });
    for await (const recorded of subscription) if (recorded.streamId === streamId) yield recorded;
  }
  return {
    [Symbol.asyncIterator]: () => events(),
    async close() {
      closed = true;
      await subscription?.close();
    },
  };
}
