import { Controller, Get, Inject, Res } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { EVENT_STORE, type EventStore } from '@cl/event-store';
import { PublicRoute } from '../auth/auth.decorators';
import { ReadYourWrites } from '../read-side/read-your-writes';

/**
 * Liveness (the process answers) and readiness (the store can be used), with the projector's lag:
 * store head position − read-model checkpoint.
 */
@ApiTags('operations')
@Controller('health')
export class HealthController {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(ReadYourWrites) private readonly readModels: ReadYourWrites,
  ) {}

  @Get()
  @PublicRoute()
  async health(@Res({ passthrough: true }) response: Response) {
    const storeReady = await this.store.isReady().catch(() => false);
    const headPosition = storeReady ? await this.store.headPosition().catch(() => null) : null;
    const checkpoint = await this.readModels.checkpoint().catch(() => null);
    const ready = storeReady && checkpoint !== null;
    response.status(ready ? 200 : 503);
    return {
      status: ready ? 'ok' : 'unavailable',
      live: true,
      ready,
      store: { ready: storeReady, headPosition },
      projections: { projector: this.readModels.projectorRole(), checkpoint, lag: headPosition !== null && checkpoint !== null ? Math.max(0, headPosition - checkpoint) : null },
    };
  }
}
