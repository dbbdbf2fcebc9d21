import { once } from 'node:events';
import { Controller, Get, Inject, Query, Req, Res } from '@nestjs/common';
import { ApiExtraModels, ApiOkResponse, ApiTags, getSchemaPath } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import {
  CSV_CONTENT_TYPE, csvHead, csvRow, OPEN_DATA_CSV_COLUMNS, OPEN_DATA_MAX_PAGE, openDataCsvCells, ReadModelQueries,
  type CsvDialect, type OpenDataGrant,
} from '@cl/read-models';
import { PublicRoute } from '../auth/auth.decorators';
import { OpenDataPageResponse } from './public/public-responses.schema';
import { OpenDataCsvQuery, OpenDataQuery } from './read-queries.request';

/** Conventions read per database query while streaming the CSV: memory stays flat however many there are. */
const CSV_BATCH = 500;

/**
 * Every convention's public facts (article 9; docs/open-data.md), public like /stats: JSON pages
 * in the 360Giving package shape `{grants, next}`, or the whole list as one streamed CSV.
 */
@ApiTags('public')
@ApiExtraModels(OpenDataPageResponse)
@Controller('open-data')
export class OpenDataController {
  constructor(@Inject(ReadModelQueries) private readonly queries: ReadModelQueries) {}

  @Get('conventions')
  @PublicRoute()
  @ApiOkResponse({
    description: 'JSON: {grants: [360Giving grants], next: the path of the next page or null}, a page at a time (?after=, ?limit=). '
      + 'CSV (Accept: text/csv, ?format=csv or ?dialect=): every convention, streamed, one header row of 360Giving column titles.',
    content: { 'application/json': { schema: { $ref: getSchemaPath(OpenDataPageResponse) } }, 'text/csv': { schema: { type: 'string' } } },
  })
  async conventions(@Query() query: OpenDataQuery, @Req() request: Request, @Res({ passthrough: true }) response: Response) {
    const csv = query.format === 'csv' || query.dialect !== undefined
      || (query.format === undefined && request.accepts(['application/json', 'text/csv']) === 'text/csv');
    if (csv) return this.streamCsv(response, query.dialect ?? 'rfc4180');
    return this.page(query);
  }

  @Get('conventions.csv')
  @PublicRoute()
  @ApiOkResponse({ description: 'every convention as CSV (?dialect=fr for a French spreadsheet)', content: { 'text/csv': { schema: { type: 'string' } } } })
  conventionsCsv(@Query() query: OpenDataCsvQuery, @Res({ passthrough: true }) response: Response) {
    return this.streamCsv(response, query.dialect ?? 'rfc4180');
  }

  private async page(query: OpenDataQuery): Promise<{ grants: OpenDataGrant[]; next: string | null }> {
    const limit = query.limit ?? OPEN_DATA_MAX_PAGE;
    // One more than asked tells whether another page follows.
    const rows = await this.queries.listOpenData({ after: query.after, limit: limit + 1 });
    const grants = rows.slice(0, limit);
    const next = rows.length > limit ? `/open-data/conventions?after=${grants[grants.length - 1].id}&limit=${limit}` : null;
    return { grants, next };
  }

  /** Batches read one after the other, each written before the next is read, waiting for the client when its buffer is full. */
  private async streamCsv(response: Response, dialect: CsvDialect): Promise<undefined> {
    response.setHeader('Content-Type', CSV_CONTENT_TYPE);
    response.setHeader('Content-Disposition', 'attachment; filename="conventions.csv"');
    response.write(csvHead(OPEN_DATA_CSV_COLUMNS, dialect));
    let after: string | undefined;
    for (;;) {
      const batch = await this.queries.listOpenData({ after, limit: CSV_BATCH });
      if (batch.length === 0) break;
      const text = batch.map((grant) => csvRow(openDataCsvCells(grant), dialect)).join('');
      if (!response.write(text) && !(await this.drained(response))) return undefined;
      after = batch[batch.length - 1].id;
      if (batch.length < CSV_BATCH) break;
    }
    response.end();
    return undefined;
  }

  /** True once the client's buffer drained; false if the client went away first (nothing more to write). */
  private async drained(response: Response): Promise<boolean> {
    const stop = new AbortController();
    try {
      const event = await Promise.race([
        // The loser is aborted below, which rejects it: caught, so that it is no unhandled rejection.
        once(response, 'drain', { signal: stop.signal }).then(() => 'drain', () => 'aborted'),
        once(response, 'close', { signal: stop.signal }).then(() => 'close', () => 'aborted'),
      ]);
      return event === 'drain';
    } finally {
      stop.abort();
    }
  }
}
