import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import request from 'supertest';
import { SEED_CONVENTION_BODY } from '../support/seed-http';
import { bearer, TEST_TOKEN_TABLE, TEST_TOKENS } from '../support/test-app';

const ROOT = path.resolve(__dirname, '../..');

/** Starts the real entry point (as `npm start` does) and resolves with its base URL. */
function startApi(dataDir: string): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(process.execPath, ['-r', 'ts-node/register/transpile-only', '-r', 'tsconfig-paths/register', 'apps/api/src/main.ts'], {
    cwd: ROOT,
    env: { ...process.env, PORT: '0', DATA_DIR: dataDir, NODE_ENV: 'test', AUTH_TOKENS: JSON.stringify(TEST_TOKEN_TABLE), FORCE_COLOR: '0' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return new Promise((resolve, reject) => {
    let output = '';
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const match = /listening on :(\d+)/.exec(output);
      if (match) resolve({ child, url: `http://127.0.0.1:${match[1]}` });
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.on('exit', (code) => reject(new Error(`API exited with ${code} before listening:\n${output}`)));
  });
}

/**
 * An acknowledged command survives `kill -9` of the API process: the embedded store fsyncs each
 * commit before the response is sent, and the projector resumes from its checkpoint on restart.
 */
describe('crash recovery of the API process (kill -9)', () => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'convention-ledger-crash-'));
  let running: ChildProcess | undefined;

  afterAll(() => {
    running?.kill('SIGKILL');
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('keeps every acknowledged command, and the read models catch up after restart', async () => {
    const first = await startApi(dataDir);
    running = first.child;
    const api = request(first.url);
    const created = await api.post('/conventions').set(bearer(TEST_TOKENS.funder)).send(SEED_CONVENTION_BODY).expect(201);
    const id = created.body.id as string;
    await api.post(`/conventions/${id}/signatures`).set(bearer(TEST_TOKENS.funder)).send({ party: 'funder', signatory: 'Yves Le Breton', signedOn: '2020-05-11' }).expect(201);
    await api.post(`/conventions/${id}/signatures`).set(bearer(TEST_TOKENS.beneficiary)).send({ party: 'beneficiary', signatory: 'Nadi Bou Hanna', signedOn: '2020-05-11' }).expect(201);
    const acknowledged: string[] = [];
    let lastPosition = 0;
    for (let i = 0; i < 20; i++) {
      const res = await api.post(`/conventions/${id}/expenses`).set(bearer(TEST_TOKENS.beneficiary))
        .send({ category: 'devops', description: `before the crash ${i}`, amount: '1000.01', committedOn: '2020-06-01' }).expect(201);
      acknowledged.push(res.body.expenseId);
      lastPosition = res.body.position;
    }

    first.child.kill('SIGKILL');
    await new Promise((resolve) => first.child.once('exit', resolve));

    const second = await startApi(dataDir);
    running = second.child;
    const after = request(second.url);
    const auditor = bearer(TEST_TOKENS.auditor);
    const { expenses } = (await after.get(`/conventions/${id}/expenses?minPosition=${lastPosition}`).set(auditor).expect(200)).body;
    expect(expenses.map((e: { expenseId: string }) => e.expenseId).sort()).toEqual([...acknowledged].sort());
    const balance = (await after.get(`/conventions/${id}/balance`).set(auditor).expect(200)).body;
    expect(balance.committed).toBe('20000.20');
    const health = (await after.get('/health').expect(200)).body;
    expect(health.store.headPosition).toBe(lastPosition);
    expect(health.projections).toMatchObject({ projector: 'active', lag: 0 });
  });
});
