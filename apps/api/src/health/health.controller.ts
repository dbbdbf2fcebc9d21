import { Controller, Get, Inject, Res } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { EVENT_STORE, type EventStore } from '@cl/event-store';
import { PublicRoute } from '../auth/auth.decorators';

/** Liveness (the process answers) and readiness (the store can be used). */
@ApiTags('operations')
@Controller('health')
export class HealthController {
  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  @Get()
  @PublicRoute()
  async health(@Res({ passthrough: true }) response: Response) {
    const storeReady = await this.store.isReady().catch(() => false);
    const headPosition = storeReady ? await this.store.headPosition().catch(() => null) : null;
    const ready = storeReady;
    response.status(ready ? 200 : 503);
    return { status: ready ? 'ok' : 'unavailable', live: true, ready, store: { ready: storeReady, headPosition } };
  }
}
