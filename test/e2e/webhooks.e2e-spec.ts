import { loadConfig } from '@cl/config';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import request from 'supertest';
import { createApp } from '../../apps/api/src/app.factory';
import { verifyWebhook } from '../../apps/api/src/webhooks/delivery/webhook-signature';
import { AS, ledgerOver } from '../support/ledger-http';
import { SEED_CONVENTION_BODY } from '../support/seed-http';
import { bearer, ORGANISATIONS, startTestApp, TEST_TOKEN_TABLE, TEST_TOKENS, type TestApp } from '../support/test-app';
import { eventually, startReceiver, type Receipt, type Receiver } from '../support/webhook-receiver';

/**
 * Webhooks over real HTTP both ways (docs/integrations.md): the real app delivers to receivers
 * started here on node:http. Delays are shortened by the WEBHOOK_* settings below; no test
 * asserts a time, only orders and outcomes.
 */
describe('webhooks', () => {
  let t: TestApp;
  const receivers: Receiver[] = [];

  beforeAll(async () => {
    t = await startTestApp({
      WEBHOOK_ALLOWED_HOSTS: '127.0.0.1',
      WEBHOOK_RETRY_BASE_DELAY_MS: '300',
      WEBHOOK_RETRY_MAX_DELAY_MS: '5000',
      WEBHOOK_RETRY_PERIOD_MS: '15000',
      WEBHOOK_TIMEOUT_MS: '400',
    });
  });

  afterAll(async () => {
    await t.close();
    await Promise.all(receivers.map((receiver) => receiver.close()));
  });

  const receiver = async (...args: Parameters<typeof startReceiver>) => {
    const started = await startReceiver(...args);
    receivers.push(started);
    return started;
  };

  const subscribe = async (url: string, as = AS.funder, eventTypes?: string[]) =>
    (await t.http.post('/webhooks').set(as).send({ url, ...(eventTypes ? { eventTypes } : {}) }).expect(201)).body as { id: string; secret: string };

  /** The convention's events as GET …/events lists them, once the read models include them. */
  const eventsOf = async (id: string) => {
    const position = await ledgerOver(t).headPosition();
    return (await t.http.get(`/conventions/${id}/events?minPosition=${position}`).set(AS.auditor).expect(200)).body.events as Array<{ eventId: string; type: string }>;
  };

  /** Each event once, in the order first received: what a receiver that deduplicates on webhook-id keeps. */
  const deduplicated = (receipts: readonly Receipt[]) => [...new Map(receipts.map((r) => [r.headers['webhook-id'], r.event.id])).values()];

  it('delivers every event of a convention, in order, signed, as CloudEvents without bank details', async () => {
    const hooks = await receiver();
    const { id: subscriptionId, secret } = await subscribe(hooks.url);
    const ledger = ledgerOver(t);
    const id = await ledger.active('WEBHOOK-ORDER');
    await ledger.expense(id, '1000.00', { committed: '2020-06-01', done: '2020-06-02', paid: '2020-06-03' });
    const events = await eventsOf(id);

    const received = await eventually(() => {
      expect(deduplicated(hooks.of(id))).toEqual(events.map((e) => e.eventId));
      return hooks.of(id);
    });
    for (const receipt of received) {
      expect(receipt.headers['webhook-id']).toBe(receipt.event.id);
      expect(verifyWebhook(secret, receipt.headers, receipt.body)).toBe(true);
      expect(receipt.body).not.toMatch(/bankAccount|accountNumber|iban/i);
    }
    expect(received[0].event).toMatchObject({ specversion: '1.0', type: 'ConventionRegistered', subject: id, source: `/conventions/${id}`, datacontenttype: 'application/json' });
    expect(received[0].event.data).toMatchObject({ conventionId: id, funder: { organisation: ORGANISATIONS.anct } });
    // Each event once at least (a delivery slower than WEBHOOK_TIMEOUT_MS on a loaded machine comes twice).
    expect([...new Map(received.map((r) => [r.event.id, r.event.type])).values()]).toEqual(events.map((e) => e.type));

    // A tampered body, or the same delivery presented later than the tolerance, fails verification.
    const [first] = received;
    expect(verifyWebhook(secret, first.headers, first.body.replace(id, `${id}x`))).toBe(false);
    expect(verifyWebhook(secret, first.headers, first.body, Number(first.headers['webhook-timestamp']) * 1000 + 6 * 60_000)).toBe(false);

    // Marked delivered once the 2xx is in, a moment after the receiver got the event.
    await eventually(async () => {
      const { deliveries } = (await t.http.get(`/webhooks/${subscriptionId}/deliveries?status=delivered&limit=1000`).set(AS.funder).expect(200)).body;
      expect(deliveries.filter((d: { conventionId: string }) => d.conventionId === id).map((d: { eventId: string }) => d.eventId)).toEqual(events.map((e) => e.eventId));
    });
  });

  it('sends only the event types asked for', async () => {
    const hooks = await receiver();
    await subscribe(hooks.url, AS.funder, ['ConventionSigned']);
    const id = await ledgerOver(t).active('WEBHOOK-TYPES');
    const signed = (await eventsOf(id)).filter((e) => e.type === 'ConventionSigned').map((e) => e.eventId);
    await eventually(() => expect(deduplicated(hooks.of(id))).toEqual(signed));
    expect(signed).toHaveLength(2);
  });

  it('retries a failing delivery with growing waits under the same webhook-id, holding back the convention\'s later events', async () => {
    let failuresLeft = 4;
    const hooks = await receiver((receipt) => (receipt.event.type === 'ConventionRegistered' && failuresLeft-- > 0 ? { status: 500 } : { status: 200 }));
    await subscribe(hooks.url);
    const id = await ledgerOver(t).active('WEBHOOK-RETRY');
    const events = await eventsOf(id);
    await eventually(() => expect(deduplicated(hooks.of(id))).toEqual(events.map((e) => e.eventId)));

    // Four failures, then the success (and, on a loaded machine, a success too slow may come again).
    const registered = hooks.of(id).filter((r) => r.event.type === 'ConventionRegistered').slice(0, 5);
    expect(registered).toHaveLength(5);
    expect(new Set(registered.map((r) => r.headers['webhook-id']))).toEqual(new Set([events[0].eventId]));
    // Nothing later of this convention arrived before the registration got through.
    expect(hooks.of(id).findIndex((r) => r.event.type !== 'ConventionRegistered')).toBeGreaterThanOrEqual(5);
    // Exponential backoff with jitter: waits drawn in [150, 300], [300, 600], [600, 1200] and
    // [1200, 2400] ms. Compared with margins of 600 ms or more, so that the noise of a loaded
    // machine cannot turn the order.
    const gaps = registered.slice(1).map((r, i) => r.receivedAt - registered[i].receivedAt);
    expect(gaps[3]).toBeGreaterThan(gaps[1]);
    expect(gaps[3]).toBeGreaterThan(gaps[0]);
    expect(gaps[2] + gaps[3]).toBeGreaterThan(gaps[0] + gaps[1]);
  });

  it('gets past a receiver that answers too slowly or not at all, sending again under the same webhook-id', async () => {
    let calls = 0;
    const hooks = await receiver(() => {
      calls += 1;
      if (calls === 1) return 'hang';
      if (calls === 2) return { status: 200, delayMs: 1_000 };
      return { status: 200 };
    });
    await subscribe(hooks.url);
    const id = await ledgerOver(t).register('WEBHOOK-SLOW');
    const [registered] = await eventsOf(id);
    await eventually(() => expect(hooks.of(id).length).toBeGreaterThanOrEqual(3));
    expect(deduplicated(hooks.of(id))).toEqual([registered.eventId]);
    expect(hooks.of(id).every((r) => r.headers['webhook-id'] === registered.eventId)).toBe(true);
  });

  it('replays events recorded before the subscription existed', async () => {
    const id = await ledgerOver(t).register('WEBHOOK-BACKFILL');
    const [registered] = await eventsOf(id);
    const hooks = await receiver();
    const { id: subscriptionId } = await subscribe(hooks.url);
    const deliveries = await t.http.get(`/webhooks/${subscriptionId}/deliveries`).set(AS.funder).expect(200);
    expect(deliveries.body.deliveries).toEqual([]);
    const events = (await t.http.get(`/conventions/${id}/events`).set(AS.funder).expect(200)).body.events;
    await t.http.post(`/webhooks/${subscriptionId}/replay?fromPosition=${events[0].position}`).set(AS.funder).send({}).expect(202);
    await eventually(() => expect(deduplicated(hooks.of(id))).toEqual([registered.eventId]));
  });

  it('sends a subscriber nothing of a convention its organisation may not see', async () => {
    const seen = await receiver();
    const unseen = await receiver();
    await subscribe(seen.url, AS.beneficiary);
    await subscribe(unseen.url, bearer(TEST_TOKENS.otherFunder));
    const ledger = ledgerOver(t);
    const theirs = await ledger.active('WEBHOOK-SCOPE');
    // The other funder's own convention: its subscriber does receive what it may see.
    const own = (await t.http.post('/conventions').set(bearer(TEST_TOKENS.otherFunder))
      .send({
        ...SEED_CONVENTION_BODY,
        reference: 'WEBHOOK-SCOPE-OWN',
        funder: { ...SEED_CONVENTION_BODY.funder, organisation: ORGANISATIONS.otherFunder },
        beneficiary: { ...SEED_CONVENTION_BODY.beneficiary, organisation: ORGANISATIONS.otherBeneficiary, accountingOrganisation: ORGANISATIONS.otherAccountingOffice },
      }).expect(201)).body.id;
    const events = await eventsOf(theirs);
    await eventually(() => expect(deduplicated(seen.of(theirs))).toEqual(events.map((e) => e.eventId)));
    await eventually(() => expect(deduplicated(unseen.of(own))).toHaveLength(1));
    expect(unseen.receipts.filter((r) => r.event.subject !== own)).toEqual([]);
    expect(seen.of(own)).toEqual([]);
  });

  describe('with a retry period of 1.5 s', () => {
    let d: TestApp;

    beforeAll(async () => {
      d = await startTestApp({ WEBHOOK_ALLOWED_HOSTS: '127.0.0.1', WEBHOOK_RETRY_BASE_DELAY_MS: '200', WEBHOOK_RETRY_PERIOD_MS: '1500', WEBHOOK_TIMEOUT_MS: '400' });
    });

    afterAll(async () => {
      await d.close();
    });

    it('puts a delivery failing for the whole retry period on the dead-letter list; replay sends it again', async () => {
      let answer = 500;
      const hooks = await receiver(() => ({ status: answer }));
      const { id: subscriptionId } = (await d.http.post('/webhooks').set(AS.funder).send({ url: hooks.url }).expect(201)).body;
      const id = await ledgerOver(d).register('WEBHOOK-DEAD');
      const [registered] = (await d.http.get(`/conventions/${id}/events?minPosition=${await ledgerOver(d).headPosition()}`).set(AS.auditor).expect(200)).body.events;
      const deadLetters = await eventually(async () => {
        const { deliveries } = (await d.http.get(`/webhooks/${subscriptionId}/deliveries?status=dead`).set(AS.funder).expect(200)).body;
        expect(deliveries).toHaveLength(1);
        return deliveries;
      }, 20_000);
      expect(deadLetters[0]).toMatchObject({ eventId: registered.eventId, conventionId: id, status: 'dead', lastStatusCode: 500, nextAttemptAt: null });
      expect(deadLetters[0].attempts).toBeGreaterThan(1);
      const attemptsBeforeReplay = hooks.of(id).length;

      answer = 200;
      const position = deadLetters[0].position as number;
      const replayed = (await d.http.post(`/webhooks/${subscriptionId}/replay?fromPosition=${position}`).set(AS.funder).send({}).expect(202)).body;
      expect(replayed).toEqual({ fromPosition: position, requeued: 1 });
      await eventually(async () => {
        const { deliveries } = (await d.http.get(`/webhooks/${subscriptionId}/deliveries`).set(AS.funder).expect(200)).body;
        expect(deliveries).toMatchObject([{ eventId: registered.eventId, status: 'delivered', lastStatusCode: 200 }]);
      });
      expect(hooks.of(id).length).toBeGreaterThan(attemptsBeforeReplay);
      expect(hooks.of(id).at(-1)!.headers['webhook-id']).toBe(registered.eventId);
    });
  });

  describe('subscriptions', () => {
    it('answers the secret once, lists and shows the organisation\'s subscriptions only, and deletes', async () => {
      const created = (await t.http.post('/webhooks').set(AS.funder).send({ url: 'http://127.0.0.1:9/a', eventTypes: ['TrancheFellDue'] }).expect(201)).body;
      expect(created).toEqual({ id: expect.any(String), secret: expect.stringMatching(/^whsec_/), url: 'http://127.0.0.1:9/a', eventTypes: ['TrancheFellDue'] });
      const shown = (await t.http.get(`/webhooks/${created.id}`).set(bearer(TEST_TOKENS.bothParties)).expect(200)).body;
      expect(shown).toMatchObject({ id: created.id, url: created.url, eventTypes: ['TrancheFellDue'], organisation: ORGANISATIONS.anct, createdBy: 'anct-finance' });
      expect(JSON.stringify(shown)).not.toContain(created.secret.slice(6));
      const listed = (await t.http.get('/webhooks').set(AS.funder).expect(200)).body.webhooks;
      expect(listed.map((w: { id: string }) => w.id)).toContain(created.id);
      expect(JSON.stringify(listed)).not.toContain('whsec_');
      const elsewhere = (await t.http.get('/webhooks').set(bearer(TEST_TOKENS.otherFunder)).expect(200)).body.webhooks;
      expect(elsewhere.map((w: { id: string }) => w.id)).not.toContain(created.id);
      await t.http.get(`/webhooks/${created.id}`).set(bearer(TEST_TOKENS.otherFunder)).expect(404, /WEBHOOK_NOT_FOUND/);
      await t.http.delete(`/webhooks/${created.id}`).set(bearer(TEST_TOKENS.otherFunder)).expect(404);
      await t.http.delete(`/webhooks/${created.id}`).set(AS.funder).expect(204);
      await t.http.get(`/webhooks/${created.id}`).set(AS.funder).expect(404);
      await t.http.get('/webhooks/not-an-id').set(AS.funder).expect(404, /WEBHOOK_NOT_FOUND/);
    });

    it('answers the same subscription and secret to a retry under the same Idempotency-Key, and 422 to another body', async () => {
      const key = { 'Idempotency-Key': 'webhook-create-1' };
      const first = (await t.http.post('/webhooks').set(AS.funder).set(key).send({ url: 'http://127.0.0.1:9/k' }).expect(201)).body;
      const again = (await t.http.post('/webhooks').set(AS.funder).set(key).send({ url: 'http://127.0.0.1:9/k' }).expect(201)).body;
      expect(again).toEqual(first);
      await t.http.post('/webhooks').set(AS.funder).set(key).send({ url: 'http://127.0.0.1:9/other' }).expect(422, /IDEMPOTENCY_KEY_REUSED/);
      const elsewhere = (await t.http.post('/webhooks').set(AS.beneficiary).set(key).send({ url: 'http://127.0.0.1:9/k' }).expect(201)).body;
      expect(elsewhere.id).not.toBe(first.id);
    });

    it.each([
      [{ url: 'http://127.0.0.1:9/', eventTypes: ['TrancheFellDue', 'NoSuchEvent'] }, 'UNKNOWN_EVENT_TYPE'],
      [{ url: 'http://127.0.0.1:9/', eventTypes: [] }, 'VALIDATION_FAILED'],
      [{ url: 42 }, 'VALIDATION_FAILED'],
      [{ url: 'http://127.0.0.1:9/', secret: 'mine' }, 'VALIDATION_FAILED'],
      [{ url: 'ftp://example.org/hooks' }, 'WEBHOOK_URL_INVALID'],
      [{ url: 'https://user:password@example.org/hooks' }, 'WEBHOOK_URL_INVALID'],
      [{ url: 'http://localhost:9/hooks' }, 'WEBHOOK_URL_REFUSED'],
      [{ url: 'http://10.0.0.7/hooks' }, 'WEBHOOK_URL_REFUSED'],
      [{ url: 'http://169.254.169.254/latest/meta-data' }, 'WEBHOOK_URL_REFUSED'],
      [{ url: 'http://[::1]:9/hooks' }, 'WEBHOOK_URL_REFUSED'],
      [{ url: 'http://[::ffff:127.0.0.1]:9/hooks' }, 'WEBHOOK_URL_REFUSED'],
      [{ url: 'http://[fe80::1]/hooks' }, 'WEBHOOK_URL_REFUSED'],
    ])('refuses %j: 400 %s, and records nothing', async (body, code) => {
      const before = (await t.http.get('/webhooks').set(AS.funder).expect(200)).body.webhooks.length;
      await t.http.post('/webhooks').set(AS.funder).send(body).expect(400).expect((res) => expect(res.body.code).toBe(code));
      expect((await t.http.get('/webhooks').set(AS.funder).expect(200)).body.webhooks).toHaveLength(before);
    });

    it('are described in the OpenAPI document', async () => {
      const { paths } = (await t.http.get('/docs-json').expect(200)).body;
      expect(Object.keys(paths['/webhooks'])).toEqual(expect.arrayContaining(['get', 'post']));
      expect(Object.keys(paths['/webhooks/{id}'])).toEqual(expect.arrayContaining(['get', 'delete']));
      expect(paths['/webhooks/{id}/deliveries'].get.responses['200']).toBeDefined();
      expect(paths['/webhooks/{id}/replay'].post.parameters).toEqual(expect.arrayContaining([expect.objectContaining({ name: 'fromPosition', in: 'query', required: true })]));
      expect(paths['/webhooks'].post.responses['201'].content['application/json'].schema.$ref).toMatch(/CreatedWebhookResponse$/);
    });

    it('are off without WEBHOOK_SECRET_KEY (production): 503 WEBHOOKS_NOT_CONFIGURED, nothing recorded', async () => {
      const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'convention-ledger-no-webhook-key-'));
      const config = loadConfig({ DATA_DIR: dataDir, AUTH_TOKENS: JSON.stringify(TEST_TOKEN_TABLE), NODE_ENV: 'test' });
      const app = await createApp({ ...config, webhooks: { ...config.webhooks, secretKey: undefined } });
      await app.init();
      try {
        const http = request(app.getHttpServer());
        await http.post('/webhooks').set(AS.funder).send({ url: 'https://example.org/hooks' }).expect(503, /WEBHOOKS_NOT_CONFIGURED/);
        expect((await http.get('/webhooks').set(AS.funder).expect(200)).body.webhooks).toEqual([]);
      } finally {
        await app.close();
        fs.rmSync(dataDir, { recursive: true, force: true });
      }
    });

    it('refuses replay without a position and on another organisation\'s subscription', async () => {
      const { id } = await subscribe('http://127.0.0.1:9/r');
      await t.http.post(`/webhooks/${id}/replay`).set(AS.funder).send({}).expect(400, /VALIDATION_FAILED/);
      await t.http.post(`/webhooks/${id}/replay?fromPosition=1`).set(bearer(TEST_TOKENS.otherFunder)).send({}).expect(404);
      await t.http.get(`/webhooks/${id}/deliveries`).set(bearer(TEST_TOKENS.otherFunder)).expect(404);
    });
  });
});
