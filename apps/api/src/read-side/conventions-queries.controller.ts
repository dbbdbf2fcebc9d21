import { ConventionListResponse, ConventionResponse, EventPageResponse, ExpenseListResponse } from './convention-responses.schema';
import { Controller, Get, Headers, Inject, Param, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { notFound } from '@cl/domain';
import { ReadModelQueries, STATEMENT_CSV_COLUMNS, statementCsv } from '@cl/read-models';
import { assertAccess, conventionNotFound, readScopeOf } from '../auth/access-policy';
import { CurrentActor } from '../auth/auth.decorators';
import type { Actor } from '../auth/roles';
import { ConventionIdPipe, StatementNumberPipe } from '../http/path-params';
import { BalanceQuery, EventsQuery, ListConventionsQuery } from './read-queries.request';
import { BalanceResponse, StatementListResponse, StatementResponse } from './read-responses.schema';

/** The convention, unknown or out of the caller's reach: one answer for both (auth/access-policy.ts). */
const found = <T>(value: T | undefined): T => {
  if (value === undefined) throw conventionNotFound();
  return value;
};

/**
 * The read side of docs/api.md; any authenticated role may read, within its reach: the
 * conventions where its organisation is the party its role acts for (every convention for a
 * global auditor, those where its organisation is a party for a scoped one). Others do not exist
 * for it: 404 as an unknown id, and left out of the list.
 */
@ApiTags('queries')
@ApiBearerAuth()
@Controller('conventions')
export class ConventionsQueriesController {
  constructor(@Inject(ReadModelQueries) private readonly queries: ReadModelQueries) {}

  @Get()
  @ApiOkResponse({ type: ConventionListResponse, description: 'the conventions within the caller’s reach' })
  async list(@Query() query: ListConventionsQuery, @CurrentActor() actor: Actor) {
    return { conventions: await this.queries.listConventions({ scope: readScopeOf(actor), status: query.status, reference: query.reference }) };
  }

  @Get(':id')
  @ApiOkResponse({ type: ConventionResponse, description: 'terms in force, parties, signatures and status, now or as of ?asOf' })
  async get(@Param('id', ConventionIdPipe) id: string, @Query() query: BalanceQuery, @CurrentActor() actor: Actor) {
    await this.assertReadable(actor, id);
    return found(await this.queries.getConvention(id, query.asOf));
  }

  @Get(':id/balance')
  @ApiOkResponse({ type: BalanceResponse, description: 'the figures (libs/domain figures.ts) now, or as of ?asOf' })
  async balance(@Param('id', ConventionIdPipe) id: string, @Query() query: BalanceQuery, @CurrentActor() actor: Actor) {
    await this.assertReadable(actor, id);
    return found(await this.queries.getBalance(id, query.asOf));
  }

  @Get(':id/expenses')
  @ApiOkResponse({ type: ExpenseListResponse, description: 'each expense with its steps, as of ?asOf' })
  async expenses(@Param('id', ConventionIdPipe) id: string, @Query() query: BalanceQuery, @CurrentActor() actor: Actor) {
    await this.assertReadable(actor, id);
    return { expenses: found(await this.queries.listExpenses(id, query.asOf)) };
  }

  @Get(':id/statements')
  @ApiOkResponse({ type: StatementListResponse, description: 'the statements drawn up by ?asOf (all without it)' })
  async statements(@Param('id', ConventionIdPipe) id: string, @Query() query: BalanceQuery, @CurrentActor() actor: Actor) {
    await this.assertReadable(actor, id);
    return { statements: found(await this.queries.listStatements(id, query.asOf)) };
  }

  @Get(':id/statements/:number')
  @ApiProduces('application/json', 'text/csv')
  @ApiOkResponse({
    type: StatementResponse,
    description: `With Accept: text/csv, RFC 4180 CSV: the lines, then the corrections (type "correction", negative amount). Columns: ${STATEMENT_CSV_COLUMNS.join(', ')}.`,
  })
  async statement(
    @Param('id', ConventionIdPipe) id: string,
    @Param('number', StatementNumberPipe) number: number,
    @Query() query: BalanceQuery,
    @Headers('accept') accept: string | undefined,
    @Res({ passthrough: true }) response: Response,
    @CurrentActor() actor: Actor,
  ) {
    await this.assertReadable(actor, id);
    // A statement drawn up after asOf did not exist yet: 404 like an unknown number.
    const statement = await this.queries.getStatement(id, number, query.asOf);
    if (statement === undefined) throw notFound('STATEMENT_NOT_FOUND', 'no such statement');
    if (accept && /\btext\/csv\b/.test(accept)) {
      response.setHeader('Content-Type', 'text/csv; charset=utf-8; header=present');
      response.setHeader('Content-Disposition', `attachment; filename="statement-${number}.csv"`);
      response.send(statementCsv(statement));
      return undefined;
    }
    return statement;
  }

  @Get(':id/events')
  @ApiOkResponse({ type: EventPageResponse, description: 'the recorded history in order, who recorded each fact and when' })
  async events(@Param('id', ConventionIdPipe) id: string, @Query() query: EventsQuery, @CurrentActor() actor: Actor) {
    await this.assertReadable(actor, id);
    return found(await this.queries.getEvents(id, { fromRevision: query.fromRevision, limit: query.limit }));
  }

  /** Before anything is read: a convention unknown or out of reach is a 404 CONVENTION_NOT_FOUND, the same for both. */
  private async assertReadable(actor: Actor, id: string): Promise<void> {
    assertAccess(actor, await this.queries.partiesOf(id), { kind: 'read' });
  }
}
