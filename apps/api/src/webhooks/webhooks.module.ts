import { Logger, Module } from '@nestjs/common';
import type { AppConfig } from '@cl/config';
import { EVENT_STORE, type EventStore } from '@cl/event-store';
import type { ReadModelDb } from '@cl/read-models';
import { APP_CONFIG, READ_MODEL_DB } from '../infrastructure/tokens';
import { WebhookDispatcher } from './delivery/webhook-dispatcher';
import { openWebhookStore, type WebhookDb } from './storage/webhook-store';
import { WEBHOOK_DB, WebhooksController } from './webhooks.controller';

/**
 * Webhook subscriptions (the routes) and, for the inline projector (PROJECTOR_MODE=inline), the
 * dispatcher it runs under its single-instance lock (read-side/inline-projection.ts).
 */
@Module({
  controllers: [WebhooksController],
  providers: [
    { provide: WEBHOOK_DB, inject: [READ_MODEL_DB], useFactory: (db: ReadModelDb) => openWebhookStore(db) },
    {
      provide: WebhookDispatcher,
      inject: [APP_CONFIG, EVENT_STORE, WEBHOOK_DB],
      useFactory: (config: AppConfig, store: EventStore, db: WebhookDb) => {
        const logger = new Logger('Webhooks');
        return new WebhookDispatcher(store, db, config.webhooks, { log: (message) => logger.warn(message) });
      },
    },
  ],
  exports: [WebhookDispatcher],
})
export class WebhooksModule {}
