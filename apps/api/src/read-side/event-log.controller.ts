import { Controller, Get, Inject, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { EVENT_STORE, type EventStore, type RecordedEvent } from '@cl/event-store';
import { eventViewOf, type EventView } from '@cl/read-models';
import { assertReadsWholeLog } from '../auth/access-policy';
import { CurrentActor } from '../auth/auth.decorators';
import type { Actor } from '../auth/roles';
import { NDJSON, streamNdjson } from './ndjson-stream';
import { EventLogQuery } from './read-queries.request';
import { EventLogLineResponse } from './event-log-line.schema';

/** Events read from the store per batch: one batch is what the export holds in memory. */
export const EVENT_LOG_BATCH = 500;

export type EventLogLine = { streamId: string } & EventView;

/**
 * GET /events: the whole log, in global order, as NDJSON, for auditors of every organisation
 * (docs/api.md "Exports"). Read straight from the event store's global log (the source of truth,
 * not the read models), a batch at a time, and only as fast as the client takes it: the next
 * batch is read once the socket has drained, and none once the client has gone.
 */
@ApiTags('queries')
@ApiBearerAuth()
@Controller('events')
export class EventLogController {
  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  @Get()
  @ApiProduces(NDJSON)
  @ApiOkResponse({ type: EventLogLineResponse, description: 'NDJSON: one such object per line, the fields of GET /conventions/{id}/events with streamId; up to the head of the log when the export reaches it' })
  async stream(@Query() query: EventLogQuery, @Res({ passthrough: true }) response: Response, @CurrentActor() actor: Actor) {
    assertReadsWholeLog(actor);
    await streamNdjson(response, logPages(this.store, query.fromPosition ?? 0));
    return undefined;
  }
}

/** The global log from `fromPosition` (inclusive; positions are never 0), one readAll batch at a time. */
async function* logPages(store: EventStore, fromPosition: number): AsyncGenerator<EventLogLine[]> {
  let after = fromPosition > 0 ? fromPosition - 1 : undefined;
  for (;;) {
    const batch: RecordedEvent[] = await store.readAll({ after, maxCount: EVENT_LOG_BATCH });
    if (batch.length > 0) yield batch.map((recorded) => ({ streamId: recorded.streamId, ...eventViewOf(recorded) }));
    if (batch.length < EVENT_LOG_BATCH) return;
    after = batch[batch.length - 1].position;
  }
}
