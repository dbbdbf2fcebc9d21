import { DynamicModule, Module } from '@nestjs/common';
import { APP_FILTER, APP_GUARD, APP_INTERCEPTOR } from '@nestjs/core';
import { ThrottlerStorage, ThrottlerStorageService } from '@nestjs/throttler';
import type { AppConfig } from '@cl/config';
import type { ReadModelDb } from '@cl/read-models';
import { LoggerModule } from 'nestjs-pino';
import type { Logger as PinoLogger } from 'pino';
import { BearerAuthGuard } from './auth/bearer-auth.guard';
import { ConventionsCommandsModule } from './conventions/conventions-commands.module';
import { HealthModule } from './health/health.module';
import { ApiExceptionFilter } from './http/api-exception.filter';
import { IdempotencyInterceptor } from './http/idempotency/idempotency.interceptor';
import { CommandLogInterceptor } from './http/logging/command-log.interceptor';
import { IdempotencyStore } from './http/idempotency/idempotency.store';
import { InfrastructureModule, type InfrastructureOverrides } from './infrastructure/infrastructure.module';
import { READ_MODEL_DB } from './infrastructure/tokens';
import { ReadSideModule } from './read-side/read-side.module';

@Module({})
export class AppModule {
  /** `logger`: the process's pino logger (http/logging/request-log.ts), behind Nest's Logger. */
  static forRoot(config: AppConfig, overrides: InfrastructureOverrides, logger: PinoLogger): DynamicModule {
    return {
      module: AppModule,
      imports: [
        // useExisting: the edge's request-log middleware (app.factory.ts) sets req.log, the child this binds to each request.
        LoggerModule.forRoot({ pinoHttp: { logger }, useExisting: true }),
        InfrastructureModule.forRoot(config, overrides), ConventionsCommandsModule, ReadSideModule, HealthModule],
      providers: [
        { provide: IdempotencyStore, inject: [READ_MODEL_DB], useFactory: (db: ReadModelDb) => IdempotencyStore.open(db) },
        { provide: APP_GUARD, useClass: BearerAuthGuard },
        { provide: APP_INTERCEPTOR, useClass: CommandLogInterceptor },
        { provide: APP_INTERCEPTOR, useClass: IdempotencyInterceptor },
        { provide: APP_FILTER, useClass: ApiExceptionFilter },
        // The rate limit's counters (http/edge/rate-limit.middleware.ts); cleared on shutdown.
        { provide: ThrottlerStorage, useClass: ThrottlerStorageService },
      ],
    };
  }
}
