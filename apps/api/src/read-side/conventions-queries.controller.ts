import { Controller, Get, Headers, Inject, Param, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { notFound } from '@cl/domain';
import { ReadModelQueries, STATEMENT_CSV_COLUMNS, statementCsv } from '@cl/read-models';
import { ConventionIdPipe, StatementNumberPipe } from '../http/path-params';
import { BalanceQuery, EventsQuery, ListConventionsQuery } from './read-queries.request';
import { BalanceResponse, StatementListResponse, StatementResponse } from './read-responses.schema';

const found = <T>(value: T | undefined, code = 'CONVENTION_NOT_FOUND', what = 'convention'): T => {
  if (value === undefined) throw notFound(code, `no such ${what}`);
  return value;
};

/** The read side of docs/api.md; any authenticated role may read. */
@ApiTags('queries')
@ApiBearerAuth()
@Controller('conventions')
export class ConventionsQueriesController {
  constructor(@Inject(ReadModelQueries) private readonly queries: ReadModelQueries) {}

  @Get()
  async list(@Query() query: ListConventionsQuery) {
    return { conventions: await this.queries.listConventions({ status: query.status, reference: query.reference }) };
  }

  @Get(':id')
  async get(@Param('id', ConventionIdPipe) id: string, @Query() query: BalanceQuery) {
    return found(await this.queries.getConvention(id, query.asOf));
  }

  @Get(':id/balance')
  @ApiOkResponse({ type: BalanceResponse, description: 'the figures (libs/domain figures.ts) now, or as of ?asOf' })
  async balance(@Param('id', ConventionIdPipe) id: string, @Query() query: BalanceQuery) {
    return found(await this.queries.getBalance(id, query.asOf));
  }

  @Get(':id/expenses')
  async expenses(@Param('id', ConventionIdPipe) id: string, @Query() query: BalanceQuery) {
    return { expenses: found(await this.queries.listExpenses(id, query.asOf)) };
  }

  @Get(':id/statements')
  @ApiOkResponse({ type: StatementListResponse, description: 'the statements drawn up by ?asOf (all without it)' })
  async statements(@Param('id', ConventionIdPipe) id: string, @Query() query: BalanceQuery) {
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
  ) {
    if (!(await this.queries.exists(id))) throw notFound('CONVENTION_NOT_FOUND', 'no such convention');
    // A statement drawn up after asOf did not exist yet: 404 like an unknown number.
    const statement = found(await this.queries.getStatement(id, number, query.asOf), 'STATEMENT_NOT_FOUND', 'statement');
    if (accept && /\btext\/csv\b/.test(accept)) {
      response.setHeader('Content-Type', 'text/csv; charset=utf-8; header=present');
      response.setHeader('Content-Disposition', `attachment; filename="statement-${number}.csv"`);
      response.send(statementCsv(statement));
      return undefined;
    }
    return statement;
  }

  @Get(':id/events')
  async events(@Param('id', ConventionIdPipe) id: string, @Query() query: EventsQuery) {
    return found(await this.queries.getEvents(id, { fromRevision: query.fromRevision, limit: query.limit }));
  }
}
