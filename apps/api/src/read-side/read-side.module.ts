import { BeforeApplicationShutdown, Inject, Logger, Module, OnApplicationBootstrap, Optional } from '@nestjs/common';
import { APP_INTERCEPTOR } from '@nestjs/core';
import type { AppConfig } from '@cl/config';
import { EVENT_STORE, type EventStore } from '@cl/event-store';
import { createReadModelSchema, KnownAtViews, Projector, ReadModelQueries, type ReadModelDb } from '@cl/read-models';
import { APP_CONFIG, READ_MODEL_DB } from '../infrastructure/tokens';
import { WebhookDispatcher } from '../webhooks/delivery/webhook-dispatcher';
import { WebhooksModule } from '../webhooks/webhooks.module';
import { ConventionsQueriesController } from './conventions-queries.controller';
import { EventLogController } from './event-log.controller';
import { InlineProjection } from './inline-projection';
import { MinPositionInterceptor } from './min-position.interceptor';
import { OpenEventStreams } from './open-event-streams';
import { OpenDataController } from './open-data.controller';
import { ReadYourWrites } from './read-your-writes';
import { StatsController } from './stats.controller';

/**
 * Queries over the read models, and, in the default single-process mode (PROJECTOR_MODE=inline),
 * the projector that keeps them up to date from the store's global log, with the webhook
 * dispatcher beside it under the same lock.
 */
@Module({
  imports: [WebhooksModule],
  controllers: [ConventionsQueriesController, EventLogController, StatsController, OpenDataController],
  providers: [
    // The histories are read from the event store (docs/read-models.md, "History from the store").
    { provide: ReadModelQueries, inject: [READ_MODEL_DB, EVENT_STORE], useFactory: (db: ReadModelDb, store: EventStore) => new ReadModelQueries(db, store) },
    { provide: KnownAtViews, inject: [READ_MODEL_DB, EVENT_STORE], useFactory: (db: ReadModelDb, store: EventStore) => new KnownAtViews(db, store) },
    {
      provide: InlineProjection,
      inject: [APP_CONFIG, EVENT_STORE, READ_MODEL_DB, WebhookDispatcher],
      useFactory: async (config: AppConfig, store: EventStore, db: ReadModelDb, webhooks: WebhookDispatcher) => {
        await createReadModelSchema(db);
        if (config.projectorMode !== 'inline') return null;
        const logger = new Logger('Projector');
        const projector = new Projector(store, db, { batchSize: config.projectorBatchSize, onError: (error) => logger.error(`projection failed, retrying: ${String(error)}`) });
        return new InlineProjection(projector, config.readModels, [webhooks]);
      },
    },
    ReadYourWrites,
    OpenEventStreams,
    { provide: APP_INTERCEPTOR, useClass: MinPositionInterceptor },
  ],
  exports: [ReadModelQueries, ReadYourWrites],
})
export class ReadSideModule implements OnApplicationBootstrap, BeforeApplicationShutdown {
  constructor(@Optional() @Inject(InlineProjection) private readonly inline: InlineProjection | null) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.inline?.start();
  }

  /**
   * Before any shutdown hook closes the stores (InfrastructureModule): the projector commits the
   * batch in progress with its checkpoint, stops, and releases the single-instance lock.
   */
  async beforeApplicationShutdown(): Promise<void> {
    await this.inline?.stop();
  }
}
