import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { createEventStore } from '@cl/event-store';
import { createReadModelDb, Projector } from '@cl/read-models';
import { openWebhookStore, type SubscriptionRow } from './webhook-store';

/** Subscriptions and deliveries are not read models: a rebuild (which drops every read model) leaves them. */
describe('webhook tables and read-model rebuilds', () => {
  it('keeps subscriptions, checkpoints and deliveries through projections:rebuild', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'webhook-store-'));
    const store = createEventStore({ eventStore: { kind: 'embedded', file: path.join(dir, 'events.sqlite') } });
    const db = createReadModelDb({ kind: 'sqlite', file: path.join(dir, 'read-models.sqlite') });
    try {
      const webhooks = await openWebhookStore(db);
      const subscription: SubscriptionRow = {
        id: 's-1', organisation: 'o', scope: '{"kind":"every-convention"}', url: 'https://example.org/', event_types: null,
        created_at: '2026-12-01T00:00:00.000Z', created_by: 'x', deleted_at: null, checkpoint: 7,
      };
      await webhooks.insertInto('webhook_subscriptions').values(subscription).execute();
      await webhooks.insertInto('webhook_deliveries').values({
        subscription_id: 's-1', event_id: 'e-1', position: 5, convention_id: 'c', event_type: 'ConventionSigned', payload: '{}', status: 'dead',
        attempts: 3, first_attempt_at: null, last_attempt_at: null, next_attempt_at: '2026-12-01T00:00:00.000Z', last_status_code: 500, last_error: 'answered 500', delivered_at: null,
      }).execute();

      await new Projector(store, db).rebuild();

      expect(await webhooks.selectFrom('webhook_subscriptions').selectAll().execute()).toEqual([subscription]);
      expect(await webhooks.selectFrom('webhook_deliveries').select(['event_id', 'status']).execute()).toEqual([{ event_id: 'e-1', status: 'dead' }]);
    } finally {
      await store.close();
      await db.destroy();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
