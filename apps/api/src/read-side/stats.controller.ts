import { Controller, Get, Inject, Query } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { ReadModelQueries } from '@cl/read-models';
import { PublicRoute } from '../auth/auth.decorators';
import { ReadQuery } from './read-queries.request';

/** Public key indicators, as the seed convention asks every service to publish a /stats page. */
@ApiTags('queries')
@Controller('stats')
export class StatsController {
  constructor(@Inject(ReadModelQueries) private readonly queries: ReadModelQueries) {}

  @Get()
  @PublicRoute()
  stats(@Query() _: ReadQuery) {
    return this.queries.getStats();
  }
}
