import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { EVENT_STORE, type EventStore, type NewEvent } from '@cl/event-store';
import { EVENT_LOG_BATCH } from '../../apps/api/src/read-side/event-log.controller';
import { AS, ledgerOver } from '../support/ledger-http';
import { bearer, startTestApp, TEST_TOKENS, type TestApp } from '../support/test-app';

const NDJSON = { Accept: 'application/x-ndjson' };
const linesOf = (text: string) => text.split('\n').filter((line) => line !== '').map((line) => JSON.parse(line) as Record<string, unknown>);

/** Exports (docs/audit.md): a convention's history as NDJSON, the whole log for auditors of every organisation. */
describe('exports: NDJSON history and GET /events', () => {
  let t: TestApp;
  let id: string;

  beforeAll(async () => {
    t = await startTestApp();
    const ledger = ledgerOver(t);
    id = await ledger.active('EXPORTS-2020');
    await ledger.payTranche(id, 1, '800000.00', '2020-06-15');
    await ledger.register('EXPORTS-OTHER-2020');
    await t.http.get(`/conventions?minPosition=${await ledger.headPosition()}`).set(AS.auditor).expect(200);
  });
  afterAll(async () => t.close());

  it('Accept: application/x-ndjson streams the history, one object per line, the fields of the JSON answer', async () => {
    const json = (await t.http.get(`/conventions/${id}/events`).set(AS.beneficiary).expect(200)).body;
    const ndjson = await t.http.get(`/conventions/${id}/events`).set(AS.beneficiary).set(NDJSON).expect(200);
    expect(ndjson.headers['content-type']).toBe('application/x-ndjson; charset=utf-8');
    expect(ndjson.text.endsWith('\n')).toBe(true);
    expect(linesOf(ndjson.text)).toEqual(json.events);
    const page = await t.http.get(`/conventions/${id}/events?fromRevision=2&limit=3`).set(AS.beneficiary).set(NDJSON).expect(200);
    expect(linesOf(page.text)).toEqual(json.events.slice(2, 5));
  });

  it('an unknown or out-of-reach convention is the usual JSON 404', async () => {
    const response = await t.http.get(`/conventions/${id}/events`).set(bearer(TEST_TOKENS.otherFunder)).set(NDJSON).expect(404);
    expect(response.body.code).toBe('CONVENTION_NOT_FOUND');
  });

  it('GET /events streams the whole log in global order, every stream, for an auditor of every organisation', async () => {
    const response = await t.http.get('/events').set(AS.auditor).expect(200);
    expect(response.headers['content-type']).toBe('application/x-ndjson; charset=utf-8');
    const lines = linesOf(response.text);
    expect(lines.map((line) => line.position)).toEqual(lines.map((_, index) => index + 1));
    expect(new Set(lines.map((line) => String(line.streamId).split('-')[0]))).toEqual(new Set(['reference', 'convention']));
    // A convention's lines are its history as GET …/events shows it, with the stream named.
    const history = (await t.http.get(`/conventions/${id}/events`).set(AS.auditor).expect(200)).body.events;
    expect(lines.filter((line) => line.streamId === `convention-${id}`)).toEqual(history.map((event: object) => ({ streamId: `convention-${id}`, ...event })));
    const from = await t.http.get('/events?fromPosition=4').set(AS.auditor).expect(200);
    expect(linesOf(from.text)).toEqual(lines.slice(3));
  });

  it('GET /events is 403 for other roles (FORBIDDEN_ROLE) and for auditors bound to one organisation (FORBIDDEN_SCOPE)', async () => {
    expect((await t.http.get('/events').set(AS.funder).expect(403)).body).toMatchObject({ code: 'FORBIDDEN_ROLE', allowedRoles: ['auditor'] });
    expect((await t.http.get('/events').set(bearer(TEST_TOKENS.scopedAuditor)).expect(403)).body).toMatchObject({ code: 'FORBIDDEN_SCOPE' });
  });

  it.each(['-1', '01', '1e2', 'x'])('?fromPosition=%s is 400 VALIDATION_FAILED', async (fromPosition) => {
    expect((await t.http.get(`/events?fromPosition=${fromPosition}`).set(AS.auditor).expect(400)).body.code).toBe('VALIDATION_FAILED');
  });
});

/**
 * Backpressure, without a 1M-event store: a log of 24 MB (3,000 events of 8 kB), a client that
 * stops reading. The server must stop reading the store too: the events it has read may exceed
 * those the client received only by what the socket buffers hold and one batch, not by the whole
 * log. The count is taken on the real store the API uses (its readAll, observed).
 */
describe('GET /events reads the store only as fast as the client reads', () => {
  const EVENTS = 3_000;
  let t: TestApp;
  let port: number;
  let read = 0;

  beforeAll(async () => {
    // No projector: only the export reads the store's global log.
    t = await startTestApp({ PROJECTOR_MODE: 'off' });
    await t.app.listen(0, '127.0.0.1');
    port = (t.app.getHttpServer().address() as AddressInfo).port;
    const store = t.app.get<EventStore>(EVENT_STORE);
    const padding = 'x'.repeat(8_000);
    for (let first = 0; first < EVENTS; first += 500) {
      const events: NewEvent[] = Array.from({ length: 500 }, (_, index) => ({
        id: `00000000-0000-4000-8000-${String(first + index).padStart(12, '0')}`,
        type: 'LoadGenerated',
        data: { index: first + index, padding },
        metadata: { actor: { subject: 'load', roles: ['auditor'] }, recordedAt: new Date().toISOString(), requestId: 'load', correlationId: 'load', causationId: 'load', schemaVersion: 1 },
      }));
      await store.appendToStream('load-1', events, 'any');
    }
    const readAll = store.readAll.bind(store);
    store.readAll = async (options) => {
      const batch = await readAll(options);
      read += batch.length;
      return batch;
    };
  }, 60_000);
  afterAll(async () => t.close());

  /** Resolves once `read` has not moved for 500 ms. */
  async function settled(): Promise<number> {
    for (let last = -1; ;) {
      await new Promise((resolve) => setTimeout(resolve, 500));
      if (read === last) return read;
      last = read;
    }
  }

  function openExport(): Promise<{ request: http.ClientRequest; response: http.IncomingMessage }> {
    return new Promise((resolve, reject) => {
      const request = http.get({ port, host: '127.0.0.1', path: '/events', headers: { Authorization: `Bearer ${TEST_TOKENS.auditor}` } });
      request.on('response', (response) => resolve({ request, response }));
      request.on('error', reject);
    });
  }

  it('a paused client holds the reads back; resumed, it gets every event, each read once', async () => {
    read = 0;
    const { response } = await openExport();
    let received = '';
    response.setEncoding('utf8');
    await new Promise<void>((resolve) => response.once('data', (chunk: string) => { received += chunk; response.pause(); resolve(); }));
    const readWhilePaused = await settled();
    // Far from the whole log: what the kernel's socket buffers and the response's hold, plus one batch in hand.
    expect(readWhilePaused).toBeLessThan(EVENTS / 2);
    expect(readWhilePaused).toBeGreaterThanOrEqual(EVENT_LOG_BATCH);

    response.on('data', (chunk: string) => { received += chunk; });
    await new Promise<void>((resolve) => { response.on('end', resolve); response.resume(); });
    const lines = received.split('\n').filter((line) => line !== '');
    expect(lines).toHaveLength(EVENTS);
    expect(JSON.parse(lines.at(-1)!)).toMatchObject({ streamId: 'load-1', revision: EVENTS - 1, data: { index: EVENTS - 1 } });
    expect(read).toBe(EVENTS);
  });

  it('a client that goes away stops the reads', async () => {
    read = 0;
    const { request, response } = await openExport();
    await new Promise<void>((resolve) => response.once('data', () => { response.pause(); resolve(); }));
    request.destroy();
    const readAfterLeaving = await settled();
    expect(readAfterLeaving).toBeLessThan(EVENTS / 2);
  });
});
