import * as fs from 'node:fs';
import * as http from 'node:http';
import * as os from 'node:os';
import * as path from 'node:path';
import request from 'supertest';
import { SqliteEventStore } from '@cl/event-store';
import { createReadModelDb, readCheckpoint } from '@cl/read-models';
import { startApiProcess, type ApiProcess } from '../support/api-process';
import { SEED_CONVENTION_BODY } from '../support/seed-http';
import { SseConnection } from '../support/sse-client';
import { bearer, TEST_TOKEN_TABLE, TEST_TOKENS } from '../support/test-app';
import { outcomeOf, spawnEntryPoint, waitForOutput } from '../read-models/support/child-process';

const CLIENTS = 8;
/** SIGTERM once this many commands are acknowledged: the burst is at full speed by then. */
const ACKS_BEFORE_SIGTERM = 40;
const MAX_REQUESTS = 600;

type Outcome = { kind: 'answered'; status: number; body: { expenseId?: string; position?: number } } | { kind: 'refused' } | { kind: 'reset'; error: string };
interface Sent { requestId: string; body: string; outcome: Outcome }

/** One POST on a fresh connection (no keep-alive), told apart: answered, refused at connect, or cut after connecting. */
function postExpense(port: number, conventionId: string, requestId: string, body: string): Promise<Outcome> {
  return new Promise((resolve) => {
    const req = http.request({
      host: '127.0.0.1', port, method: 'POST', path: `/conventions/${conventionId}/expenses`, agent: false,
      headers: { ...bearer(TEST_TOKENS.beneficiary), 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body), 'X-Request-Id': requestId, 'Idempotency-Key': requestId },
    }, (res) => {
      let text = '';
      res.setEncoding('utf8').on('data', (chunk: string) => (text += chunk));
      res.on('end', () => resolve({ kind: 'answered', status: res.statusCode ?? 0, body: text ? JSON.parse(text) : {} }));
      res.on('error', (error) => resolve({ kind: 'reset', error: error.message }));
    });
    req.on('error', (error: NodeJS.ErrnoException) => resolve(error.code === 'ECONNREFUSED' ? { kind: 'refused' } : { kind: 'reset', error: `${error.code}: ${error.message}` }));
    req.end(body);
  });
}

/** A POST whose body is only half sent: the request is in flight until `finish()` sends the rest. */
function startSlowExpense(port: number, conventionId: string, requestId: string) {
  const body = JSON.stringify({ category: 'devops', description: requestId, amount: '10.00', committedOn: '2020-06-01' });
  let resolveOutcome!: (outcome: Outcome) => void;
  const outcome = new Promise<Outcome>((resolve) => (resolveOutcome = resolve));
  const req = http.request({
    host: '127.0.0.1', port, method: 'POST', path: `/conventions/${conventionId}/expenses`, agent: false,
    headers: { ...bearer(TEST_TOKENS.beneficiary), 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body), 'X-Request-Id': requestId, 'Idempotency-Key': requestId },
  }, (res) => {
    let text = '';
    res.setEncoding('utf8').on('data', (chunk: string) => (text += chunk));
    res.on('end', () => resolveOutcome({ kind: 'answered', status: res.statusCode ?? 0, body: text ? JSON.parse(text) : {} }));
  });
  req.on('error', (error: NodeJS.ErrnoException) => resolveOutcome({ kind: 'reset', error: `${error.code}: ${error.message}` }));
  req.flushHeaders();
  req.write(body.slice(0, 20));
  return { outcome, finish: () => req.end(body.slice(20)) };
}

/**
 * SIGTERM during a burst of concurrent commands (docs/deployment.md, "Stopping"): the API stops
 * accepting connections, answers every request it accepted, exits 0, and every acknowledged
 * command is in the store; the standalone projector, stopped at the same time,
 * exits 0 with the checkpoint it reports committed.
 */
describe('SIGTERM during a burst: the API drains and exits 0, the projector commits and exits 0', () => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'convention-ledger-sigterm-'));
  const running: ApiProcess[] = [];

  afterAll(async () => {
    for (const api of running) await api.kill();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('answers or refuses every request, loses no acknowledged command, and both processes exit 0', async () => {
    const api = await startApiProcess({ DATA_DIR: dataDir, PROJECTOR_MODE: 'off', AUTH_MODE: '', AUTH_TOKENS: JSON.stringify(TEST_TOKEN_TABLE) });
    running.push(api);
    const port = Number(new URL(api.url).port);
    // 'close': the process has exited and all its output has been read.
    const apiExited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => api.child.once('close', (code, signal) => resolve({ code, signal })));
    const projector = spawnEntryPoint('projector', 'main', { DATA_DIR: dataDir, PROJECTOR_BATCH_SIZE: '5' });
    const projectorOutcome = outcomeOf(projector);
    await waitForOutput(projector, 'projector: started');

    const client = request(api.url);
    const id = (await client.post('/conventions').set(bearer(TEST_TOKENS.funder)).send(SEED_CONVENTION_BODY).expect(201)).body.id as string;
    await client.post(`/conventions/${id}/signatures`).set(bearer(TEST_TOKENS.funder)).send({ party: 'funder', signatory: 'Yves Le Breton', signedOn: '2020-05-11' }).expect(201);
    await client.post(`/conventions/${id}/signatures`).set(bearer(TEST_TOKENS.beneficiary)).send({ party: 'beneficiary', signatory: 'Nadi Bou Hanna', signedOn: '2020-05-11' }).expect(201);

    // In flight for sure when SIGTERM comes: its body is completed half a second after it.
    const slow = startSlowExpense(port, id, 'sigterm-slow');
    const sent: Sent[] = [];
    let acknowledged = 0;
    let signalled = false;
    const burst = Array.from({ length: CLIENTS }, async (_, c) => {
      for (let i = 0; sent.length < MAX_REQUESTS; i++) {
        const requestId = `sigterm-${c}-${i}`;
        const body = JSON.stringify({ category: 'devops', description: requestId, amount: '10.00', committedOn: '2020-06-01' });
        const outcome = await postExpense(port, id, requestId, body);
        sent.push({ requestId, body, outcome });
        if (outcome.kind === 'answered' && outcome.status === 201 && ++acknowledged === ACKS_BEFORE_SIGTERM) {
          signalled = true;
          api.child.kill('SIGTERM');
          projector.kill('SIGTERM');
        }
        if (outcome.kind !== 'answered') return;
      }
    });
    await Promise.all(burst);
    expect(signalled).toBe(true);
    await new Promise((resolve) => setTimeout(resolve, 500));
    slow.finish();
    const slowOutcome = await slow.outcome;
    expect(slowOutcome).toMatchObject({ kind: 'answered', status: 201 });
    sent.push({ requestId: 'sigterm-slow', body: '', outcome: slowOutcome });
    // Connections opened after SIGTERM were refused at connect, not left hanging.
    expect(sent.some((s) => s.outcome.kind === 'refused')).toBe(true);

    const apiExit = await apiExited;
    expect(apiExit).toEqual({ code: 0, signal: null });
    const projectorExit = await projectorOutcome;
    expect(projectorExit.code).toBe(0);
    const stoppedAt = Number(/projector: stopped at position (\d+)/.exec(projectorExit.stdout)?.[1]);
    const readModels = createReadModelDb({ kind: 'sqlite', file: path.join(dataDir, 'read-models.sqlite') });
    try {
      expect(await readCheckpoint(readModels)).toBe(stoppedAt);
    } finally {
      await readModels.destroy();
    }

    // Every answer is a 201; a request cut after connecting (the kernel had queued the
    // connection, the API never accepted it) left no trace in the API's request log.
    const answered = sent.filter((s) => s.outcome.kind === 'answered');
    expect(answered.map((s) => (s.outcome as { status: number }).status)).toEqual(answered.map(() => 201));
    expect(answered.length).toBeGreaterThanOrEqual(ACKS_BEFORE_SIGTERM);
    const cut = sent.filter((s) => s.outcome.kind === 'reset');
    for (const s of cut) expect([s.requestId, api.output().includes(`"requestId":"${s.requestId}"`)]).toEqual([s.requestId, false]);
    expect(api.output()).toMatch(/SIGTERM: no new connections/);

    // Every acknowledged command is in the store (read from its file once both processes are
    // gone, as a restart would), and a cut request was never recorded.
    const store = new SqliteEventStore(path.join(dataDir, 'events.sqlite'));
    try {
      const committed = (await store.readStream(`convention-${id}`)).filter((e) => e.type === 'ExpenseCommitted');
      const acknowledgedIds = answered.map((s) => (s.outcome as { body: { expenseId: string } }).body.expenseId);
      expect(committed.map((e) => e.data.expenseId).sort()).toEqual([...acknowledgedIds].sort());
      const descriptions = new Set(committed.map((e) => e.data.description));
      for (const s of cut) expect(descriptions.has(s.requestId)).toBe(false);
    } finally {
      await store.close();
    }
    // Two processes start with ts-node: generous on a loaded 2-core CI machine.
  }, 240_000);

  it('ends the open live feeds at once: they do not hold the drain for the grace period', async () => {
    const feedDir = fs.mkdtempSync(path.join(dataDir, 'feed-'));
    // A grace period longer than the test: if the open stream held the drain, the test would time out.
    const api = await startApiProcess({ DATA_DIR: feedDir, SHUTDOWN_GRACE_MS: '600000', AUTH_MODE: '', AUTH_TOKENS: JSON.stringify(TEST_TOKEN_TABLE) });
    running.push(api);
    const apiExited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => api.child.once('close', (code, signal) => resolve({ code, signal })));
    await request(api.url).post('/conventions').set(bearer(TEST_TOKENS.funder)).send(SEED_CONVENTION_BODY).expect(201);
    const feed = await SseConnection.open(Number(new URL(api.url).port), '/events', bearer(TEST_TOKENS.auditor));
    await feed.take(1);

    api.child.kill('SIGTERM');
    await feed.closedByServer(30_000);
    expect(await apiExited).toEqual({ code: 0, signal: null });
  }, 120_000);
});
