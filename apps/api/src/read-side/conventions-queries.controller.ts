import { Controller, Get, Headers, Inject, Param, Query, Req, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiExtraModels, ApiHeader, ApiOkResponse, ApiTags, getSchemaPath } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import type { AppConfig } from '@cl/config';
import { EVENT_STORE, type EventStore } from '@cl/event-store';
import { ConventionListResponse, ConventionResponse, EventPageResponse, ExpenseListResponse } from './convention-responses.schema';
import { notFound } from '@cl/domain';
import { CSV_CONTENT_TYPE, eventViewOf, KnownAtViews, parseKnownAt, ReadModelQueries, STATEMENT_CSV_COLUMNS, statementContentHash, statementCsv, type EventPage, type EventView, type KnownAt } from '@cl/read-models';
import { ApiError } from '../http/api-error';
import { APP_CONFIG } from '../infrastructure/tokens';
import { assertAccess, conventionNotFound, readScopeOf } from '../auth/access-policy';
import { CurrentActor } from '../auth/auth.decorators';
import type { Actor } from '../auth/roles';
import { ConventionIdPipe, StatementNumberPipe } from '../http/path-params';
import { statementPdf } from './documents/statement-pdf';
import { EVENT_STREAM, EVENT_STREAM_SCHEMA, feedStartOf, LAST_EVENT_ID_HEADER, streamEvents, wantsEventStream } from './event-stream';
import { conventionFeed } from './live-feed';
import { NDJSON, streamNdjson, wantsNdjson } from './ndjson-stream';
import { OpenEventStreams } from './open-event-streams';
import { BalanceQuery, EventsQuery, type KnownAtQuery, ListConventionsQuery, StatementQuery } from './read-queries.request';
import { BalanceResponse, StatementListResponse, StatementResponse } from './read-responses.schema';

/** The convention, unknown or out of the caller's reach: one answer for both (auth/access-policy.ts). */
const found = <T>(value: T | undefined): T => {
  if (value === undefined) throw conventionNotFound();
  return value;
};

/** What a statement is served as; JSON first, so that Accept: *\/* (or none) gets JSON as before. */
const STATEMENT_MEDIA_TYPES = ['application/json', 'text/csv', 'application/pdf'];

/**
 * The read side of docs/api.md; any authenticated role may read, within its reach: the
 * conventions where its organisation is the party its role acts for (every convention for a
 * global auditor, those where its organisation is a party for a scoped one). Others do not exist
 * for it: 404 as an unknown id, and left out of the list.
 */
@ApiTags('queries')
@ApiExtraModels(StatementResponse, EventPageResponse)
@ApiBearerAuth()
@Controller('conventions')
export class ConventionsQueriesController {
  constructor(
    @Inject(ReadModelQueries) private readonly queries: ReadModelQueries,
    @Inject(KnownAtViews) private readonly views: KnownAtViews,
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(OpenEventStreams) private readonly streams: OpenEventStreams,
  ) {}

  @Get()
  @ApiOkResponse({ type: ConventionListResponse, description: 'the conventions within the caller’s reach' })
  async list(@Query() query: ListConventionsQuery, @CurrentActor() actor: Actor) {
    const scope = readScopeOf(actor);
    // The parties' organisations never change (auth/access-policy.ts): the reach is the same at any knownAt.
    const inReach = query.knownAt === undefined ? [] : (await this.queries.listConventions({ scope })).map((convention) => convention.id);
    const conventions = await this.views.read(knownAtOf(query), inReach, (view) => view.listConventions({ scope, status: query.status, reference: query.reference }));
    return { conventions };
  }

  @Get(':id')
  @ApiOkResponse({ type: ConventionResponse, description: 'terms in force, parties, signatures and status, now or as of ?asOf' })
  async get(@Param('id', ConventionIdPipe) id: string, @Query() query: BalanceQuery, @CurrentActor() actor: Actor) {
    await this.assertReadable(actor, id);
    return found(await this.read(id, query, (view) => view.getConvention(id, query.asOf)));
  }

  @Get(':id/balance')
  @ApiOkResponse({ type: BalanceResponse, description: 'the figures (libs/domain figures.ts) now, or as of ?asOf' })
  async balance(@Param('id', ConventionIdPipe) id: string, @Query() query: BalanceQuery, @CurrentActor() actor: Actor) {
    await this.assertReadable(actor, id);
    return found(await this.read(id, query, (view) => view.getBalance(id, query.asOf)));
  }

  @Get(':id/expenses')
  @ApiOkResponse({ type: ExpenseListResponse, description: 'each expense with its steps, as of ?asOf' })
  async expenses(@Param('id', ConventionIdPipe) id: string, @Query() query: BalanceQuery, @CurrentActor() actor: Actor) {
    await this.assertReadable(actor, id);
    return { expenses: found(await this.read(id, query, (view) => view.listExpenses(id, query.asOf))) };
  }

  @Get(':id/statements')
  @ApiOkResponse({ type: StatementListResponse, description: 'the statements drawn up by ?asOf (all without it)' })
  async statements(@Param('id', ConventionIdPipe) id: string, @Query() query: BalanceQuery, @CurrentActor() actor: Actor) {
    await this.assertReadable(actor, id);
    return { statements: found(await this.read(id, query, (view) => view.listStatements(id, query.asOf))) };
  }

  @Get(':id/statements/:number')
  @ApiOkResponse({
    content: {
      'application/json': { schema: { $ref: getSchemaPath(StatementResponse) } },
      'text/csv': { schema: { type: 'string' } },
      'application/pdf': { schema: { type: 'string', format: 'binary' } },
    },
    description: 'With Accept: application/pdf, the statement as a document (ERDA: header, lines, corrections, totals, signatures, content hash). '
      + 'With Accept: text/csv or ?dialect=, CSV: the lines, then the corrections (type "correction", negative amount); '
      + `dialect rfc4180 (default) or fr (semicolon, decimal comma, UTF-8 with BOM). Columns: ${STATEMENT_CSV_COLUMNS.join(', ')}.`,
  })
  async statement(
    @Param('id', ConventionIdPipe) id: string,
    @Param('number', StatementNumberPipe) number: number,
    @Query() query: StatementQuery,
    @Req() request: Request,
    @Res({ passthrough: true }) response: Response,
    @CurrentActor() actor: Actor,
  ) {
    await this.assertReadable(actor, id);
    // A statement drawn up after asOf did not exist yet: 404 like an unknown number.
    const statement = await this.read(id, query, (view) => view.getStatement(id, number, query.asOf));
    if (statement === undefined) throw notFound('STATEMENT_NOT_FOUND', 'no such statement');
    const format = query.dialect ? 'text/csv' : request.accepts(STATEMENT_MEDIA_TYPES);
    if (format === 'text/csv') {
      response.setHeader('Content-Type', CSV_CONTENT_TYPE);
      response.setHeader('Content-Disposition', `attachment; filename="statement-${number}.csv"`);
      response.send(statementCsv(statement, query.dialect));
      return undefined;
    }
    if (format === 'application/pdf') {
      // The parties and bank accounts in force the day it was drawn up (A3).
      const convention = found(await this.read(id, query, (view) => view.getConvention(id, statement.drawnUpOn)));
      response.setHeader('Content-Type', 'application/pdf');
      response.setHeader('Content-Disposition', `attachment; filename="statement-${number}.pdf"`);
      response.send(await statementPdf({ convention, statement, contentHash: statementContentHash(statement) }));
      return undefined;
    }
    return statement;
  }

  @Get(':id/events')
  @ApiHeader({ name: LAST_EVENT_ID_HEADER, required: false, description: 'with Accept: text/event-stream: the id of the last message received; the feed resumes after it' })
  @ApiOkResponse({
    content: {
      'application/json': { schema: { $ref: getSchemaPath(EventPageResponse) } },
      [NDJSON]: { schema: { $ref: getSchemaPath(EventPageResponse) } },
      [EVENT_STREAM]: { schema: EVENT_STREAM_SCHEMA },
    },
    description: `the recorded history in order, who recorded each fact and when; with Accept: ${NDJSON}, the events streamed one per line (each an EventResponse; fromRevision and limit apply; no nextRevision); `
      + `with Accept: ${EVENT_STREAM}, a live feed: each EventResponse as a Server-Sent Event from ?fromPosition= or after Last-Event-ID, then the new events as they are recorded (fromRevision, limit and knownAt do not apply)`,
  })
  async events(
    @Param('id', ConventionIdPipe) id: string,
    @Query() query: EventsQuery,
    @Headers('accept') accept: string | undefined,
    @Headers(LAST_EVENT_ID_HEADER) lastEventId: string | undefined,
    @Res({ passthrough: true }) response: Response,
    @CurrentActor() actor: Actor,
  ) {
    await this.assertReadable(actor, id);
    if (wantsEventStream(accept)) {
      refusePagingOfLiveFeed(query);
      const feed = conventionFeed(this.store, id, feedStartOf(lastEventId, query.fromPosition));
      await streamEvents(response, feed, eventViewOf, { heartbeatMs: this.config.sseHeartbeatSeconds * 1_000, streams: this.streams });
      return undefined;
    }
    if (!wantsNdjson(accept)) return found(await this.read(id, query, (view) => view.getEvents(id, { fromRevision: query.fromRevision, limit: query.limit })));
    await this.read(id, query, async (view) => {
      if (!(await view.exists(id))) throw conventionNotFound();
      await streamNdjson(response, historyPages(view, id, query));
    });
    return undefined;
  }

  /** The read over the read models as known at ?knownAt (the current ones without it): one code path (KnownAtViews). */
  private read<T>(id: string, query: KnownAtQuery, read: (view: ReadModelQueries) => Promise<T>): Promise<T> {
    return this.views.read(knownAtOf(query), [id], read);
  }

  /** Before anything is read: a convention unknown or out of reach is a 404 CONVENTION_NOT_FOUND, the same for both. */
  private async assertReadable(actor: Actor, id: string): Promise<void> {
    assertAccess(actor, await this.queries.partiesOf(id), { kind: 'read' });
  }
}

/** A live feed is read by global position: the history's paging and past views do not apply to it, and are refused rather than ignored. */
function refusePagingOfLiveFeed(query: EventsQuery): void {
  const misplaced = (['fromRevision', 'limit', 'knownAt'] as const).filter((field) => query[field] !== undefined);
  if (misplaced.length === 0) return;
  throw new ApiError(400, 'VALIDATION_FAILED', `invalid request: ${misplaced.join(', ')} do not apply to a live feed (Accept: ${EVENT_STREAM}); use fromPosition or Last-Event-ID`, {
    errors: misplaced.map((field) => ({ field, messages: [`does not apply with Accept: ${EVENT_STREAM}`] })),
  });
}

const knownAtOf = (query: KnownAtQuery): KnownAt | undefined => (query.knownAt === undefined ? undefined : parseKnownAt(query.knownAt));

const HISTORY_PAGE = 500;

/** The history a page at a time (as GET …/events pages it), from fromRevision, at most `limit` events. */
async function* historyPages(view: ReadModelQueries, id: string, query: EventsQuery): AsyncGenerator<EventView[]> {
  let fromRevision: number | null = query.fromRevision ?? 0;
  let left = query.limit ?? Number.POSITIVE_INFINITY;
  while (fromRevision !== null && left > 0) {
    const page: EventPage = (await view.getEvents(id, { fromRevision, limit: Math.min(HISTORY_PAGE, left) }))!;
    yield page.events;
    left -= page.events.length;
    fromRevision = page.nextRevision;
  }
}
