import type { ChildProcess } from 'node:child_process';
import { spawnEntryPoint, waitForOutput } from '../read-models/support/child-process';
import { AS, ledgerOver } from '../support/ledger-http';
import { startTestApp, type TestApp } from '../support/test-app';
import { eventually, startReceiver, type Receiver } from '../support/webhook-receiver';

const WEBHOOK_ENV = { WEBHOOK_ALLOWED_HOSTS: '127.0.0.1', WEBHOOK_RETRY_BASE_DELAY_MS: '100', WEBHOOK_TIMEOUT_MS: '2000' };

/**
 * kill -9 of the process delivering webhooks (apps/projector, the API running with
 * PROJECTOR_MODE=off) in the middle of a burst: after a restart on the same data, every event
 * arrives, in order per convention, and an event sent twice carries the same webhook-id and the
 * same CloudEvent.
 */
describe('webhook deliveries across kill -9 of the projector process', () => {
  let t: TestApp;
  let receiver: Receiver;
  let projector: ChildProcess | undefined;

  const startProjector = async () => {
    projector = spawnEntryPoint('projector', 'main', { DATA_DIR: t.dataDir, NODE_ENV: 'test', ...WEBHOOK_ENV });
    await waitForOutput(projector, 'projector: started');
    return projector;
  };

  beforeAll(async () => {
    t = await startTestApp({ PROJECTOR_MODE: 'off', ...WEBHOOK_ENV });
    // The sixth event's first delivery is received but never answered: the process dies while it
    // is in flight, so it must come again after the restart.
    receiver = await startReceiver((receipt, receipts) =>
      (receipts.length === 6 && receipts.filter((r) => r.event.id === receipt.event.id).length === 1 ? 'hang' : { status: 200 }));
  });

  afterAll(async () => {
    projector?.kill('SIGKILL');
    await receiver.close();
    await t.close();
  });

  it('loses nothing, and sends a duplicate under its webhook-id', async () => {
    const first = await startProjector();
    await t.http.post('/webhooks').set(AS.funder).send({ url: receiver.url }).expect(201);
    const ledger = ledgerOver(t);
    const id = await ledger.active('WEBHOOK-CRASH');
    for (let i = 0; i < 20; i++) {
      await t.http.post(`/conventions/${id}/expenses`).set(AS.beneficiary).send({ category: 'devops', description: `burst ${i}`, amount: '100.00', committedOn: '2020-06-01' }).expect(201);
    }
    const head = await ledger.headPosition();
    const events = (await t.http.get(`/conventions/${id}/events?minPosition=${head}`).set(AS.auditor).expect(200)).body.events as Array<{ eventId: string }>;

    await eventually(() => expect(receiver.of(id).length).toBe(6));
    const inFlight = receiver.of(id)[5];
    const exited = new Promise((resolve) => first.once('exit', resolve));
    first.kill('SIGKILL');
    await exited;
    expect(receiver.of(id)).toHaveLength(6);

    await startProjector();
    await eventually(() => expect(new Set(receiver.of(id).map((r) => r.event.id)).size).toBe(events.length), 30_000);

    const receipts = receiver.of(id);
    expect(receipts.length).toBeGreaterThan(events.length);
    const firstSeen = [...new Map(receipts.map((r) => [r.headers['webhook-id'], r.event.id])).values()];
    expect(firstSeen).toEqual(events.map((e) => e.eventId));
    expect(receipts.filter((r) => r.event.id === inFlight.event.id).length).toBeGreaterThan(1);
    for (const receipt of receipts) {
      const original = receipts.find((r) => r.event.id === receipt.event.id)!;
      expect(receipt.headers['webhook-id']).toBe(receipt.event.id);
      expect(receipt.body).toBe(original.body);
    }
  });
});
