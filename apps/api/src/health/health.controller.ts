import { Controller, Get, Inject, Res, ServiceUnavailableException } from '@nestjs/common';
import { HealthCheck, HealthCheckService, type HealthCheckResult, type HealthIndicatorResult } from '@nestjs/terminus';
import { ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { PublicRoute } from '../auth/auth.decorators';
import { HealthIndicators } from './health-indicators';

/**
 * Liveness (the process answers) and readiness (terminus indicators: event store, read models,
 * free disk), with the projector's lag (docs/api.md, "GET /health"). 200 when ready, else 503;
 * the body is terminus's result ({status, info, error, details}) plus the fields clients and
 * probes already read: live, ready, store{ready, headPosition}, projections{projector, checkpoint, lag}.
 */
@ApiTags('operations')
@Controller('health')
export class HealthController {
  constructor(
    private readonly checks: HealthCheckService,
    @Inject(HealthIndicators) private readonly indicators: HealthIndicators,
  ) {}

  @Get()
  @PublicRoute()
  @HealthCheck({ swaggerDocumentation: false })
  async health(@Res({ passthrough: true }) response: Response) {
    // The store is probed first: the projector's lag needs its head position.
    const eventStore = await this.indicators.eventStore();
    let result: HealthCheckResult;
    try {
      result = await this.checks.check([
        () => eventStore,
        () => this.indicators.readModels(),
        () => this.indicators.projector(eventStore.eventStore.headPosition),
        () => this.indicators.disk(),
      ]);
    } catch (error) {
      if (!(error instanceof ServiceUnavailableException)) throw error;
      result = error.getResponse() as HealthCheckResult;
    }
    const ready = result.status === 'ok';
    response.status(ready ? 200 : 503);
    const projector = (result.details as HealthIndicatorResult).projector ?? {};
    return {
      ...result,
      live: true,
      ready,
      store: { ready: eventStore.eventStore.ready, headPosition: eventStore.eventStore.headPosition },
      projections: { projector: projector.role, checkpoint: projector.checkpoint, lag: projector.lag },
    };
  }
}
