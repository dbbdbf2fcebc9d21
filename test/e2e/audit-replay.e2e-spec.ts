import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { outcomeOf, spawnEntryPoint } from '../read-models/support/child-process';
import { AS, ledgerOver } from '../support/ledger-http';
import { startTestApp } from '../support/test-app';

/** Each replay is a Node process (compiling TypeScript at start without a current build): slow on a loaded 2-core machine. */
const REPLAYS_TIMEOUT_MS = 120_000;

/**
 * npm run audit:replay (docs/audit.md, "Replay") as a child process on a DATA_DIR recorded
 * through the API: it rebuilds the convention from the raw events and agrees with the read
 * models; once a read-model row is changed behind the projector's back, it names the difference
 * and exits 1.
 */
describe('audit:replay', () => {
  let dataDir: string;
  let id: string;
  let paymentPosition: number;

  const replayIn = (dir: string, ...args: string[]) =>
    outcomeOf(spawnEntryPoint('audit', 'replay', { DATA_DIR: dir, EVENT_STORE: 'embedded', READ_MODELS_URL: '' }, ['--convention', id, ...args]));
  const replay = (...args: string[]) => replayIn(dataDir, ...args);

  beforeAll(async () => {
    const t = await startTestApp();
    dataDir = t.dataDir;
    const ledger = ledgerOver(t);
    id = await ledger.active('REPLAY-2020');
    paymentPosition = await ledger.payTranche(id, 1, '800000.00', '2020-06-15');
    await ledger.expense(id, '400000.00', { committed: '2020-07-01', done: '2020-09-30', paid: '2020-10-15' });
    await t.http.get(`/conventions?minPosition=${await ledger.headPosition()}`).set(AS.auditor).expect(200);
    // Stopped, not removed: the files stay for the replays.
    await t.app.close();
  }, 60_000);
  afterAll(() => fs.rmSync(dataDir, { recursive: true, force: true }));

  it('prints every step (position, revision, type, recording, actor, figures) and agrees with the read models, up to a position too', async () => {
    // Two processes at once: each spends most of its time compiling TypeScript at start.
    const [all, beforePayment] = await Promise.all([replay('--steps'), replay('--until', String(paymentPosition - 1))]);
    expect(all.stderr).toBe('');
    expect(all.code).toBe(0);
    expect(all.stdout).toMatch(new RegExp(`position ${paymentPosition} {2}revision 5 {2}TranchePaid {2}recorded \\S+Z {2}by anct-finance \\(funder; 130026032\\)\\n    -> status active, committed 0\\.00, consumed 0\\.00, received 800000\\.00`));
    expect(all.stdout).toContain('"committed": "400000.00"');
    expect(all.stdout).toMatch(/read models: EQUAL\n$/);

    expect(beforePayment.code).toBe(0);
    expect(beforePayment.stdout).toContain('"received": "0.00"');
    expect(beforePayment.stdout).toContain(`read models as known at ${paymentPosition - 1}: EQUAL`);
  }, REPLAYS_TIMEOUT_MS);

  it('a read-model row changed behind its back: it names the difference and exits 1', async () => {
    // On a copy: the other test reads the files as recorded.
    const copy = fs.mkdtempSync(path.join(os.tmpdir(), 'cl-replay-corrupted-'));
    fs.cpSync(dataDir, copy, { recursive: true });
    const db = new BetterSqlite3(path.join(copy, 'read-models.sqlite'));
    try {
      db.prepare("update rm_money_facts set amount = '900000.00' where convention_id = ? and kind = 'tranche-payment'").run(id);
    } finally {
      db.close();
    }
    const corrupted = await replayIn(copy);
    fs.rmSync(copy, { recursive: true, force: true });
    expect(corrupted.code).toBe(1);
    expect(corrupted.stdout).toContain('read models: DIFFERENT');
    expect(corrupted.stdout).toContain('balance.received: replay "800000.00", read models "900000.00"');
  }, REPLAYS_TIMEOUT_MS);
});
