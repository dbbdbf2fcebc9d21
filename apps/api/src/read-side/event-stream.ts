import type { Response } from 'express';
import type { RecordedEvent } from '@cl/event-store';
import { ApiError } from '../http/api-error';
import type { LiveFeed } from './live-feed';
import { drainedOrGone } from './ndjson-stream';
import type { OpenEventStreams } from './open-event-streams';

export const EVENT_STREAM = 'text/event-stream';

/** The header a reconnecting EventSource sends: the `id:` of the last message it received. */
export const LAST_EVENT_ID_HEADER = 'Last-Event-ID';

/** The OpenAPI schema of a Server-Sent Events answer: text, framed as the description says. */
export const EVENT_STREAM_SCHEMA = {
  type: 'string' as const,
  description: 'Server-Sent Events (docs/api.md "Live feed"): per event `id: <global position>`, `event: <type>`, `data: <the JSON object on one line>`; '
    + '`: heartbeat` comments while quiet; a `retry:` hint first. It stays open: the history from the position asked for, then each new event as it is recorded.',
};

/** How long a client should wait before reconnecting, sent as the stream's `retry:` hint. */
export const RECONNECT_AFTER_MS = 3_000;

/** Whether the client asked for Server-Sent Events (`Accept: text/event-stream`). */
export const wantsEventStream = (accept: string | undefined): boolean => accept !== undefined && /\btext\/event-stream\b/i.test(accept);

/**
 * Where a feed starts, as the exclusive position its subscription takes: after `Last-Event-ID`
 * (the `id:` of the last message the client received, a global position) when the client
 * reconnects, else from `?fromPosition=` (inclusive, as in the NDJSON export), else from the start.
 */
export function feedStartOf(lastEventId: string | undefined, fromPosition: number | undefined): number {
  // An empty one is no last event id (an `id:` with no value resets it, in the SSE rules).
  if (lastEventId !== undefined && lastEventId !== '') {
    if (!/^(0|[1-9][0-9]{0,15})$/.test(lastEventId)) {
      throw new ApiError(400, 'VALIDATION_FAILED', 'invalid request: Last-Event-ID must be a global position in decimal digits', {
        errors: [{ field: 'Last-Event-ID', messages: ['must be a global position in decimal digits (the id of the last message received)'] }],
      });
    }
    return Number(lastEventId);
  }
  return fromPosition !== undefined && fromPosition > 0 ? fromPosition - 1 : 0;
}

export interface EventStreamOptions {
  heartbeatMs: number;
  streams: OpenEventStreams;
}

/**
 * Sends a live feed as Server-Sent Events: each event as `id: <global position>`, `event: <type>`
 * and `data: <one line of JSON>`, a `: heartbeat` comment every `heartbeatMs` so that proxies
 * do not close a quiet stream, with backpressure (the next event is taken from the feed only
 * once the socket has drained). The feed is closed when the client leaves or the application
 * shuts down; then the answer ends.
 */
export async function streamEvents(response: Response, feed: LiveFeed, lineOf: (recorded: RecordedEvent) => object, options: EventStreamOptions): Promise<void> {
  // A client gone while access was checked: its 'close' has passed, none would come to end the feed.
  if (response.destroyed || response.socket?.destroyed !== false) {
    await feed.close();
    return;
  }
  let gone = false;
  let finished!: () => void;
  const done = new Promise<void>((resolve) => { finished = resolve; });
  const close = async () => {
    gone = true;
    await feed.close();
  };
  const onClose = () => void close();
  response.on('close', onClose);
  // Ending from outside (shutdown) waits for the answer's end, so the connection is idle by then.
  const forget = options.streams.add(async () => {
    await close();
    await done;
  });
  response.status(200);
  response.setHeader('Content-Type', `${EVENT_STREAM}; charset=utf-8`);
  response.setHeader('Cache-Control', 'no-cache');
  response.setHeader('X-Accel-Buffering', 'no');
  response.flushHeaders();
  response.write(`retry: ${RECONNECT_AFTER_MS}\n\n`);
  // A heartbeat is only worth sending when nothing is waiting in the socket's buffer.
  const heartbeat = setInterval(() => {
    if (!gone && !response.writableNeedDrain) response.write(': heartbeat\n\n');
  }, options.heartbeatMs);
  try {
    for await (const recorded of feed) {
      if (gone) break;
      const frame = `id: ${recorded.position}\nevent: ${recorded.type}\ndata: ${JSON.stringify(lineOf(recorded))}\n\n`;
      if (!response.write(frame)) await drainedOrGone(response);
    }
    await ended(response);
  } catch (error) {
    // The status line has gone: all that is left to say is to cut the connection.
    response.destroy(error as Error);
  } finally {
    clearInterval(heartbeat);
    response.off('close', onClose);
    forget();
    await feed.close();
    finished();
  }
}

function ended(response: Response): Promise<void> {
  return new Promise((resolve) => {
    if (response.destroyed) return resolve();
    response.once('finish', resolve);
    response.once('close', resolve);
    response.end();
  });
}
