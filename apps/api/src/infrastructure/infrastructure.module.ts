import { DynamicModule, Global, Inject, Module, OnApplicationShutdown } from '@nestjs/common';
import type { AppConfig } from '@cl/config';
import { createEventStore, EVENT_STORE, type EventStore } from '@cl/event-store';
import { createReadModelDb, type ReadModelDb } from '@cl/read-models';
import { AUTHENTICATOR, type Authenticator } from '../auth/authenticator';
import { createAuthenticator } from '../auth/create-authenticator';
import { CLOCK, systemClock, type Clock } from './clock';
import { APP_CONFIG, READ_MODEL_DB } from './tokens';

export interface InfrastructureOverrides {
  clock?: Clock;
  /** Instead of the one the configuration describes (static tokens, OpenID Connect). */
  authenticator?: Authenticator;
}

/** Configuration turned into the process's long-lived resources, closed on shutdown. */
@Global()
@Module({})
export class InfrastructureModule implements OnApplicationShutdown {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(READ_MODEL_DB) private readonly db: ReadModelDb,
  ) {}

  static forRoot(config: AppConfig, overrides: InfrastructureOverrides = {}): DynamicModule {
    return {
      module: InfrastructureModule,
      providers: [
        { provide: APP_CONFIG, useValue: config },
        { provide: CLOCK, useValue: overrides.clock ?? systemClock },
        { provide: EVENT_STORE, useFactory: () => createEventStore(config) },
        { provide: READ_MODEL_DB, useFactory: () => createReadModelDb(config.readModels) },
        { provide: AUTHENTICATOR, useFactory: () => overrides.authenticator ?? createAuthenticator(config).authenticator },
      ],
      exports: [APP_CONFIG, CLOCK, EVENT_STORE, READ_MODEL_DB, AUTHENTICATOR],
    };
  }

  async onApplicationShutdown(): Promise<void> {
    await this.store.close();
    await this.db.destroy();
  }
}
