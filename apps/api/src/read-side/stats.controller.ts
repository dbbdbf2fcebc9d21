import { Controller, Get, Inject, Query, Req, Res } from '@nestjs/common';
import { ApiExtraModels, ApiOkResponse, ApiTags, getSchemaPath } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { ReadModelQueries, type PublicStatsView } from '@cl/read-models';
import { PublicRoute } from '../auth/auth.decorators';
import { PublicStatsResponse } from './public/public-responses.schema';
import { STATS_PAGE_POLICY, statsPageHtml } from './public/stats-page';
import { ReadQuery } from './read-queries.request';

/**
 * Public key indicators, as the seed convention asks every service to publish them (article 9):
 * one computation (`getPublicStats`), sent as JSON or rendered as a page.
 */
@ApiTags('public')
@ApiExtraModels(PublicStatsResponse)
@Controller()
export class StatsController {
  constructor(@Inject(ReadModelQueries) private readonly queries: ReadModelQueries) {}

  /** JSON for API clients (Accept: application/json, any type, or none: as before the page existed), HTML for browsers (Accept: text/html). */
  @Get('stats')
  @PublicRoute()
  @ApiOkResponse({
    description: 'the key indicators; with Accept: text/html, the public page (figures and an inline SVG chart of received vs consumed, no script)',
    content: { 'application/json': { schema: { $ref: getSchemaPath(PublicStatsResponse) } }, 'text/html': { schema: { type: 'string' } } },
  })
  async stats(@Query() _: ReadQuery, @Req() request: Request, @Res({ passthrough: true }) response: Response): Promise<PublicStatsView | string> {
    const stats = await this.queries.getPublicStats();
    response.setHeader('Vary', 'Accept');
    if (request.accepts(['application/json', 'text/html']) !== 'text/html') return stats;
    response.setHeader('Content-Type', 'text/html; charset=utf-8');
    // The API's policy allows nothing; the page needs its own stylesheet (allowed by its hash).
    response.setHeader('Content-Security-Policy', STATS_PAGE_POLICY);
    return statsPageHtml(stats);
  }

  @Get('stats.json')
  @PublicRoute()
  @ApiOkResponse({ type: PublicStatsResponse, description: 'the figures of the /stats page, always as JSON' })
  statsJson(@Query() _: ReadQuery): Promise<PublicStatsView> {
    return this.queries.getPublicStats();
  }
}
