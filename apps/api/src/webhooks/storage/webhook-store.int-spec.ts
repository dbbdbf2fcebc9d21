import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { createEventStore } from '@cl/event-store';
import { Projector } from '@cl/read-models';
import { describeEachDialect } from '../../../../../test/read-models/support/read-model-dialects';
import {
  openWebhookStore, queueHeads, recordAttempt, recordScan, replayFrom, type DeliveryRow, type SubscriptionRow, type WebhookDb,
} from './webhook-store';

const SUBSCRIPTION: SubscriptionRow = {
  id: 's-1', organisation: 'o', scope: '{"kind":"every-convention"}', url: 'https://example.org/', event_types: null,
  created_at: '2026-12-01T00:00:00.000Z', created_by: 'x', deleted_at: null, checkpoint: 0,
};

const delivery = (eventId: string, position: number, conventionId: string): DeliveryRow => ({
  subscription_id: 's-1', event_id: eventId, position, convention_id: conventionId, event_type: 'ConventionSigned', payload: '{}', status: 'pending',
  attempts: 0, first_attempt_at: null, last_attempt_at: null, next_attempt_at: '2026-12-01T00:00:00.000Z', last_status_code: null, last_error: null, delivered_at: null,
});

const checkpointOf = async (webhooks: WebhookDb) =>
  Number((await webhooks.selectFrom('webhook_subscriptions').select('checkpoint').where('id', '=', 's-1').executeTakeFirstOrThrow()).checkpoint);

/** The webhook tables on both dialects: queue heads per convention, replay, and survival of a read-model rebuild. */
describeEachDialect('webhook tables', (harness) => {
  it('queues per convention, moves the checkpoint with the scan, and replays from a position', async () => {
    const readModels = await harness.open();
    try {
      const webhooks = await openWebhookStore(readModels.db);
      await webhooks.insertInto('webhook_subscriptions').values(SUBSCRIPTION).execute();
      await recordScan(webhooks, 's-1', 0, 6, [delivery('e1', 1, 'a'), delivery('e2', 2, 'b'), delivery('e3', 4, 'a'), delivery('e4', 6, 'b')]);
      expect(await checkpointOf(webhooks)).toBe(6);
      // A scan that started from another checkpoint (a replay moved it meanwhile) does not move it.
      await recordScan(webhooks, 's-1', 3, 9, [delivery('e1', 1, 'a')]);
      expect(await checkpointOf(webhooks)).toBe(6);
      expect((await queueHeads(webhooks, 's-1')).map((d) => d.event_id)).toEqual(['e1', 'e2']);

      await recordAttempt(webhooks, delivery('e1', 1, 'a'), { status: 'delivered', attempts: 1 });
      await recordAttempt(webhooks, delivery('e2', 2, 'b'), { status: 'dead', attempts: 9 });
      expect((await queueHeads(webhooks, 's-1')).map((d) => d.event_id)).toEqual(['e3', 'e4']);

      expect(await replayFrom(webhooks, 's-1', 2, new Date('2026-12-02T00:00:00Z'))).toBe(3);
      expect(await checkpointOf(webhooks)).toBe(1);
      expect((await queueHeads(webhooks, 's-1')).map((d) => [d.event_id, d.status, d.first_attempt_at])).toEqual([['e2', 'pending', null], ['e3', 'pending', null]]);
      expect(await replayFrom(webhooks, 's-1', 0, new Date('2026-12-02T00:00:00Z'))).toBe(4);
      expect(await checkpointOf(webhooks)).toBe(0);
    } finally {
      await readModels.close();
    }
  });

  it('keeps subscriptions, checkpoints and deliveries through projections:rebuild', async () => {
    const readModels = await harness.open();
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'webhook-store-'));
    const store = createEventStore({ eventStore: { kind: 'embedded', file: path.join(dir, 'events.sqlite') } });
    try {
      const webhooks = await openWebhookStore(readModels.db);
      await webhooks.insertInto('webhook_subscriptions').values({ ...SUBSCRIPTION, checkpoint: 7 }).execute();
      await webhooks.insertInto('webhook_deliveries').values({ ...delivery('e-1', 5, 'c'), status: 'dead' }).execute();

      await new Projector(store, readModels.db).rebuild();

      expect(await webhooks.selectFrom('webhook_subscriptions').selectAll().execute()).toEqual([{ ...SUBSCRIPTION, checkpoint: 7 }]);
      expect(await webhooks.selectFrom('webhook_deliveries').select(['event_id', 'status']).execute()).toEqual([{ event_id: 'e-1', status: 'dead' }]);
    } finally {
      await store.close();
      await readModels.close();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
