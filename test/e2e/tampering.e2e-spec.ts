import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { checkStatementSeals, parseDigest, SqliteEventStore, verifyLog } from '@cl/event-store';
import { AS, ledgerOver } from '../support/ledger-http';
import { SEED_CONVENTION_BODY } from '../support/seed-http';
import { StoreFileTampering } from '../support/store-file-tampering';
import { startTestApp } from '../support/test-app';

const ROOT = path.resolve(__dirname, '../..');

/** An audit command as an operator runs it: `npm run audit:<command> -- <args>` on the app's DATA_DIR. */
function audit(command: 'digest' | 'verify', dataDir: string, args: string[] = []): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn('npm', ['run', '--silent', `audit:${command}`, '--', ...args], {
      cwd: ROOT,
      env: { ...process.env, DATA_DIR: dataDir, EVENT_STORE: '', READ_MODELS_URL: '' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.once('error', reject);
    child.once('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/**
 * Issue 11's tampering story: the reference case recorded through the HTTP API, a digest
 * printed, one TranchePaid amount changed in the store file, and verify names the place.
 */
describe('tampering with the store file (audit:digest, audit:verify)', () => {
  let dataDir: string;

  beforeAll(async () => {
    const t = await startTestApp();
    dataDir = t.dataDir;
    try {
      // The reference case (docs/domain-rules.md) up to the payment of tranche 2.
      const ledger = ledgerOver(t);
      const id = await ledger.active(SEED_CONVENTION_BODY.reference);
      await ledger.payTranche(id, 1, '800000.00', '2020-05-20');
      await ledger.expense(id, '300000.00', { category: 'devops', committed: '2020-06-01', done: '2020-09-30', paid: '2020-10-15', accepted: '2020-10-20' });
      await ledger.expense(id, '160000.25', { category: 'design', committed: '2020-06-02', done: '2020-10-30', paid: '2020-11-15', accepted: '2020-11-20' });
      await ledger.expense(id, '150000.50', { category: 'coaching', committed: '2020-06-03', done: '2020-11-30', paid: '2020-12-15', accepted: '2020-12-20' });
      await ledger.signedStatement(id, { cutoff: '2020-12-31', final: false }, ['2021-01-05', '2021-01-06']);
      await t.http.post(`/conventions/${id}/fund-calls`).set(AS.beneficiary).send({ tranche: 2, statement: 1, issuedOn: '2021-01-10' }).expect(201);
      await ledger.payTranche(id, 2, '400000.00', '2021-01-20');
    } finally {
      // Closed, not removed: the store file stays for the commands to read.
      await t.app.close();
    }
  });

  afterAll(() => {
    if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('proves the untouched log, then names the changed tranche payment and refuses the digest', async () => {
    const digest = await audit('digest', dataDir);
    expect(digest.code).toBe(0);
    const published = digest.stdout.trim();
    expect(published).toMatch(/^[0-9a-f]{64}@\d+$/);
    expect(digest.stderr).toMatch(/audit:digest: log read up to position/);

    // Checked in-process (one child process less): every chain holds, both signatures of
    // statement 1 are sealed by the command path, and the digest printed is the log's.
    const store = new SqliteEventStore(path.join(dataDir, 'events.sqlite'));
    let unsealed = 0;
    const untouched = await verifyLog(store, { digest: parseDigest(published), checkStream: (stream) => {
      const seals = checkStatementSeals(stream);
      unsealed += seals.unsealed;
      return seals.broken;
    } }).finally(() => store.close());
    expect(untouched).toMatchObject({ streams: 2, legacyEvents: 0, brokenStreams: 0, digest: { matches: true } });
    expect(unsealed).toBe(0);

    const tampering = new StoreFileTampering(path.join(dataDir, 'events.sqlite'));
    const [first] = tampering.find('TranchePaid');
    tampering.editData(first.streamId, first.revision, '$.amount', '880000.00');
    tampering.close();

    const tampered = await audit('verify', dataDir, ['--digest', published]);
    expect(tampered.code).toBe(1);
    expect(tampered.stdout).toContain(
      `BROKEN: changed at stream ${first.streamId}, revision ${first.revision}, position ${first.position}: its content no longer matches its recorded hash`,
    );
    expect(tampered.stdout).toContain(`DIGEST MISMATCH: expected ${published}`);
    expect(tampered.stderr).toMatch(/audit:verify: chains checked: 2 of 2 streams/);
  });
});
