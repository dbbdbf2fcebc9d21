import { DynamicModule, Module } from '@nestjs/common';
import { APP_FILTER, APP_GUARD, APP_INTERCEPTOR } from '@nestjs/core';
import { ThrottlerStorage, ThrottlerStorageService } from '@nestjs/throttler';
import type { AppConfig } from '@cl/config';
import type { ReadModelDb } from '@cl/read-models';
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
  static forRoot(config: AppConfig, overrides: InfrastructureOverrides): DynamicModule {
    return {
      module: AppModule,
      imports: [InfrastructureModule.forRoot(config, overrides), ConventionsCommandsModule, ReadSideModule, HealthModule],
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
