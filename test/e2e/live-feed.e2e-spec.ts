import type { AddressInfo } from 'node:net';
import { OpenEventStreams } from '../../apps/api/src/read-side/open-event-streams';
import { AS, ledgerOver } from '../support/ledger-http';
import { SseConnection, type SseMessage } from '../support/sse-client';
import { bearer, startTestApp, TEST_TOKENS, type TestApp } from '../support/test-app';

const AUDITOR = { Authorization: `Bearer ${TEST_TOKENS.auditor}` };
const BENEFICIARY = { Authorization: `Bearer ${TEST_TOKENS.beneficiary}` };
const SSE = { Accept: 'text/event-stream' };
const dataOf = (messages: SseMessage[]) => messages.map((message) => JSON.parse(message.data) as Record<string, unknown>);

/** The live feed (docs/api.md "Live feed"): Server-Sent Events from a position, then the new events. */
describe('live feed: GET …/events and GET /events with Accept: text/event-stream', () => {
  let t: TestApp;
  let port: number;
  let id: string;
  let ledger: ReturnType<typeof ledgerOver>;
  const open: SseConnection[] = [];
  const connect = async (path: string, headers: Record<string, string>) => {
    const connection = await SseConnection.open(port, path, headers);
    open.push(connection);
    return connection;
  };
  /** The convention's history as the JSON answer gives it, once the read models hold `position`. */
  const history = async (position: number) => (await t.http.get(`/conventions/${id}/events?minPosition=${position}`).set(AS.auditor).expect(200)).body.events as Array<Record<string, unknown>>;
  /** One more event on the convention (an expense committed: as many as wanted, in any order); its global position. */
  const record = async () => (await t.http.post(`/conventions/${id}/expenses`).set(AS.beneficiary)
    .send({ category: 'devops', description: 'live feed', amount: '10.00', committedOn: '2020-06-01' }).expect(201)).body.position as number;
  /** The whole log as the NDJSON export gives it. */
  const log = async () => (await t.http.get('/events').set(AS.auditor).expect(200)).text.split('\n').filter(Boolean).map((line) => JSON.parse(line) as Record<string, unknown>);

  beforeAll(async () => {
    // Heartbeats every second; a whole request must arrive within 1 s, which an open stream outlives.
    t = await startTestApp({ SSE_HEARTBEAT_SECONDS: '1', HTTP_REQUEST_TIMEOUT_MS: '1000', HTTP_HEADERS_TIMEOUT_MS: '1000' });
    await t.app.listen(0, '127.0.0.1');
    port = (t.app.getHttpServer().address() as AddressInfo).port;
    ledger = ledgerOver(t);
    id = await ledger.active('LIVE-FEED-2020');
    await ledger.register('LIVE-FEED-OTHER-2020');
  });
  afterEach(() => {
    for (const connection of open.splice(0)) connection.close();
  });
  afterAll(async () => t.close());

  it('sends the history, then each new event of the convention as it is recorded, in order, and none of another convention', async () => {
    const before = await history(await ledger.headPosition());
    const feed = await connect(`/conventions/${id}/events`, BENEFICIARY);
    expect(feed.response.statusCode).toBe(200);
    expect(feed.response.headers).toMatchObject({ 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache', 'x-accel-buffering': 'no' });
    expect(dataOf(await feed.take(before.length))).toEqual(before);

    await ledger.register('LIVE-FEED-THIRD-2020');
    const after = await history(await record());
    const messages = await feed.take(after.length);
    expect(dataOf(messages)).toEqual(after);
    expect(messages.map((message) => [message.id, message.event])).toEqual(after.map((event) => [String(event.position), event.type]));
    expect(feed.retry).toMatch(/^\d+$/);
  });

  it('resumes after Last-Event-ID with exactly the events after it, per convention and for the whole log', async () => {
    const events = await history(await ledger.headPosition());
    const resumed = await connect(`/conventions/${id}/events`, { ...BENEFICIARY, 'Last-Event-ID': String(events[1].position) });
    expect(dataOf(await resumed.take(events.length - 2))).toEqual(events.slice(2));

    const lines = await log();
    const global = await connect('/events', { ...AUDITOR, 'Last-Event-ID': String(lines[2].position) });
    expect(dataOf(await global.take(lines.length - 3))).toEqual(lines.slice(3));

    // The next event recorded is the next message of both, with nothing in between.
    const [next] = (await history(await record())).slice(-1);
    expect(dataOf((await resumed.take(events.length - 1)).slice(-1))).toEqual([next]);
    expect(dataOf((await global.take(lines.length - 2)).slice(-1))).toEqual([{ streamId: `convention-${id}`, ...next }]);
    // ?fromPosition= (inclusive) starts a first connection where Last-Event-ID would resume.
    const from = await connect(`/events?fromPosition=${lines[3].position}`, AUDITOR);
    expect(dataOf(await from.take(lines.length - 3))).toEqual(lines.slice(3));
  });

  it('keeps a quiet stream open with heartbeats, past the request time-out', async () => {
    const feed = await connect('/events', { ...AUDITOR, 'Last-Event-ID': String(await ledger.headPosition()) });
    await feed.until(() => feed.comments.filter((comment) => comment === 'heartbeat').length >= 2, 'two heartbeats', 4_000);
    expect(feed.messages).toEqual([]);
    const position = await record();
    const [message] = await feed.take(1);
    expect(message.id).toBe(String(position));
  });

  it('refuses what a read refuses: 404 out of reach, 403 for the whole log to any but an auditor of every organisation', async () => {
    expect((await t.http.get(`/conventions/${id}/events`).set(bearer(TEST_TOKENS.otherFunder)).set(SSE).expect(404)).body.code).toBe('CONVENTION_NOT_FOUND');
    expect((await t.http.get('/events').set(bearer(TEST_TOKENS.scopedAuditor)).set(SSE).expect(403)).body.code).toBe('FORBIDDEN_SCOPE');
    expect((await t.http.get('/events').set(AS.funder).set(SSE).expect(403)).body.code).toBe('FORBIDDEN_ROLE');
    expect((await t.http.get('/events').set(AS.auditor).set(SSE).set('Last-Event-ID', 'x').expect(400)).body.code).toBe('VALIDATION_FAILED');
    expect((await t.http.get(`/conventions/${id}/events?limit=2`).set(AS.auditor).set(SSE).expect(400)).body.code).toBe('VALIDATION_FAILED');
  });

  it('releases the stream when the client leaves', async () => {
    const streams = t.app.get(OpenEventStreams);
    /** The count once it has settled: streams of earlier tests may still be closing. */
    const settled = async (expected: number) => {
      for (const deadline = Date.now() + 5_000; streams.count !== expected && Date.now() < deadline;) await new Promise((resolve) => setTimeout(resolve, 20));
      return streams.count;
    };
    expect(await settled(0)).toBe(0);
    const feed = await connect(`/conventions/${id}/events`, BENEFICIARY);
    await feed.take(1);
    expect(streams.count).toBe(1);
    feed.close();
    expect(await settled(0)).toBe(0);
  });
});

describe('live feed: shutting down', () => {
  it('app.close() ends the open streams', async () => {
    const t = await startTestApp({ SSE_HEARTBEAT_SECONDS: '1' });
    await t.app.listen(0, '127.0.0.1');
    const port = (t.app.getHttpServer().address() as AddressInfo).port;
    const feeds = await Promise.all([SseConnection.open(port, '/events', AUDITOR), SseConnection.open(port, '/events', AUDITOR)]);
    await Promise.all(feeds.map((feed) => feed.until(() => feed.retry !== undefined, 'the retry hint')));
    // The HTTP server waits for open connections: without ending the streams, close() would never return.
    let timer: NodeJS.Timeout | undefined;
    const hangs = new Promise<never>((_, reject) => { timer = setTimeout(() => reject(new Error('app.close() did not return')), 5_000); });
    await Promise.race([t.close(), hangs]).finally(() => clearTimeout(timer));
    await Promise.all(feeds.map((feed) => feed.closedByServer()));
    expect(t.app.get(OpenEventStreams).count).toBe(0);
  });
});
