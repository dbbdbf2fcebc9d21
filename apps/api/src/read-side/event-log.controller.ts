import { Controller, Get, Headers, Inject, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiExtraModels, ApiHeader, ApiOkResponse, ApiTags, getSchemaPath } from '@nestjs/swagger';
import type { Response } from 'express';
import type { AppConfig } from '@cl/config';
import { EVENT_STORE, type EventStore, type RecordedEvent } from '@cl/event-store';
import { eventViewOf, type EventView } from '@cl/read-models';
import { assertReadsWholeLog } from '../auth/access-policy';
import { CurrentActor } from '../auth/auth.decorators';
import type { Actor } from '../auth/roles';
import { APP_CONFIG } from '../infrastructure/tokens';
import { EVENT_STREAM, EVENT_STREAM_SCHEMA, feedStartOf, LAST_EVENT_ID_HEADER, streamEvents, wantsEventStream } from './event-stream';
import { logFeed } from './live-feed';
import { NDJSON, streamNdjson } from './ndjson-stream';
import { OpenEventStreams } from './open-event-streams';
import { EventLogQuery } from './read-queries.request';
import { EventLogLineResponse } from './event-log-line.schema';

/** Events read from the store per batch: one batch is what the export holds in memory. */
export const EVENT_LOG_BATCH = 500;

export type EventLogLine = { streamId: string } & EventView;

const eventLogLineOf = (recorded: RecordedEvent): EventLogLine => ({ streamId: recorded.streamId, ...eventViewOf(recorded) });

/**
 * GET /events: the whole log, in global order, as NDJSON, for auditors of every organisation
 * (docs/api.md "Exports"). Read straight from the event store's global log (the source of truth,
 * not the read models), a batch at a time, and only as fast as the client takes it: the next
 * batch is read once the socket has drained, and none once the client has gone. With
 * Accept: text/event-stream, the same lines as a live feed that stays open (docs/api.md "Live feed").
 */
@ApiTags('queries')
@ApiExtraModels(EventLogLineResponse)
@ApiBearerAuth()
@Controller('events')
export class EventLogController {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(OpenEventStreams) private readonly streams: OpenEventStreams,
  ) {}

  @Get()
  @ApiHeader({ name: LAST_EVENT_ID_HEADER, required: false, description: 'with Accept: text/event-stream: the id of the last message received; the feed resumes after it' })
  @ApiOkResponse({
    content: {
      [NDJSON]: { schema: { $ref: getSchemaPath(EventLogLineResponse) } },
      [EVENT_STREAM]: { schema: EVENT_STREAM_SCHEMA },
    },
    description: `${NDJSON}: one EventLogLineResponse per line, the fields of GET /conventions/{id}/events with streamId; up to the head of the log when the export reaches it. `
      + `${EVENT_STREAM}: the same objects as Server-Sent Events (id: the global position, event: the type, data: the object), then the new events as they are recorded`,
  })
  async stream(
    @Query() query: EventLogQuery,
    @Headers('accept') accept: string | undefined,
    @Headers(LAST_EVENT_ID_HEADER) lastEventId: string | undefined,
    @Res({ passthrough: true }) response: Response,
    @CurrentActor() actor: Actor,
  ) {
    assertReadsWholeLog(actor);
    if (wantsEventStream(accept)) {
      const feed = logFeed(this.store, feedStartOf(lastEventId, query.fromPosition));
      await streamEvents(response, feed, eventLogLineOf, { heartbeatMs: this.config.sseHeartbeatSeconds * 1_000, streams: this.streams });
      return undefined;
    }
    await streamNdjson(response, logPages(this.store, query.fromPosition ?? 0));
    return undefined;
  }
}

/** The global log from `fromPosition` (inclusive; positions are never 0), one readAll batch at a time. */
async function* logPages(store: EventStore, fromPosition: number): AsyncGenerator<EventLogLine[]> {
  let after = fromPosition > 0 ? fromPosition - 1 : undefined;
  for (;;) {
    const batch: RecordedEvent[] = await store.readAll({ after, maxCount: EVENT_LOG_BATCH });
    if (batch.length > 0) yield batch.map(eventLogLineOf);
    if (batch.length < EVENT_LOG_BATCH) return;
    after = batch[batch.length - 1].position;
  }
}
