import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { StoreFileTampering } from '../../../../test/support/store-file-tampering';
import { SqliteEventStore } from '../embedded';
import type { EventMetadata, NewEvent } from '../event-store.port';
import { formatDigest } from './log-digest';
import { checkStatementSeals, statementSealFor } from './statement-seals';
import { digestLog, verifyLog, type VerifyReport } from './verify-log';

const LEDGER = 'convention-a';
const OTHER = 'convention-b';

function fact(type: string, data: Record<string, unknown>, extra: Partial<EventMetadata> = {}): NewEvent {
  return {
    id: randomUUID(),
    type,
    data,
    metadata: {
      actor: { subject: 'funder-1', roles: ['funder'], organisation: 'org-f' },
      recordedAt: '2026-03-01T10:00:00.000Z',
      requestId: randomUUID(),
      correlationId: randomUUID(),
      causationId: randomUUID(),
      schemaVersion: 1,
      ...extra,
    },
  };
}

/**
 * A ledger of two interleaved streams: LEDGER has tranches, a statement and its signature at
 * revisions 0..5. The stored file is then tampered with as an attacker would, and verify must
 * say what and where.
 */
describe('tamper evidence on the embedded store file', () => {
  let dir: string;
  let file: string;

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'cl-tamper-'));
    file = join(dir, 'events.sqlite');
    const store = new SqliteEventStore(file);
    const statement = { number: 1, cutoff: '2026-02-28', total: '120.00', lines: [{ expense: 'e-1', amount: '120.00' }] };
    await store.appendToStream(LEDGER, [fact('ConventionRegistered', { reference: 'REF-1' })], 'no_stream');
    await store.appendToStream(OTHER, [fact('ConventionRegistered', { reference: 'REF-2' })], 'no_stream');
    await store.appendToStream(LEDGER, [fact('TranchePaid', { tranche: 1, amount: '1000.00' })], 0);
    await store.appendToStream(LEDGER, [fact('TranchePaid', { tranche: 2, amount: '500.00' })], 1);
    await store.appendToStream(OTHER, [fact('TranchePaid', { tranche: 1, amount: '70.00' })], 0);
    await store.appendToStream(LEDGER, [fact('StatementDrawnUp', statement)], 2);
    const signature = { number: 1, as: 'beneficiary', signatory: 'B. Signer', signedOn: '2026-03-01' };
    const seal = statementSealFor({ type: 'StatementSigned', data: signature }, [{ type: 'StatementDrawnUp', data: statement }]);
    await store.appendToStream(LEDGER, [fact('StatementSigned', signature, { statementContentHash: seal })], 3);
    await store.appendToStream(LEDGER, [fact('FundCallIssued', { tranche: 3, statement: 1 })], 4);
    await store.close();
  });

  afterEach(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  async function verify(digest?: { value: string; position: number }): Promise<VerifyReport> {
    const store = new SqliteEventStore(file);
    try {
      return await verifyLog(store, { digest, checkStream: (stream) => checkStatementSeals(stream).broken });
    } finally {
      await store.close();
    }
  }

  async function digest(): Promise<{ value: string; position: number }> {
    const store = new SqliteEventStore(file);
    try {
      return await digestLog(store);
    } finally {
      await store.close();
    }
  }

  function tamper(attack: (file: StoreFileTampering) => void): { position: (revision: number) => number } {
    const tampering = new StoreFileTampering(file);
    const positions = new Map<number, number>();
    for (let revision = 0; revision <= 5; revision++) positions.set(revision, tampering.row(LEDGER, revision).position);
    attack(tampering);
    tampering.close();
    return { position: (revision) => positions.get(revision)! };
  }

  it('finds an untouched file valid, and its own digest matching', async () => {
    const taken = await digest();
    const report = await verify(taken);

    expect(report).toMatchObject({ events: 8, streams: 2, legacyEvents: 0, brokenStreams: 0, digest: { matches: true } });
    expect(report.broken).toBeUndefined();
    expect(`${report.headDigest}@${report.headPosition}`).toBe(formatDigest(taken));
  });

  it('names an edited amount: changed, at its stream, revision and position', async () => {
    const at = tamper((attacker) => attacker.editData(LEDGER, 2, '$.amount', '5000.00'));

    expect((await verify()).broken).toEqual({
      kind: 'changed', streamId: LEDGER, revision: 2, position: at.position(2), detail: 'its content no longer matches its recorded hash',
    });
  });

  it('names a deleted event: removed, at the revision after the gap', async () => {
    const at = tamper((attacker) => attacker.delete(LEDGER, 2));

    expect((await verify()).broken).toMatchObject({ kind: 'removed', streamId: LEDGER, revision: 3, position: at.position(3), detail: 'revision 2 is missing before it' });
  });

  it('names a deleted event whose gap was closed: removed, where the link points to nothing', async () => {
    const at = tamper((attacker) => attacker.delete(LEDGER, 2, { renumber: true }));

    expect((await verify()).broken).toMatchObject({ kind: 'removed', streamId: LEDGER, revision: 2, position: at.position(3) });
  });

  it('names an inserted event, even hashed and linked as the store would: inserted, at the event it pushed aside', async () => {
    const at = tamper((attacker) => attacker.insertForged(LEDGER, 2, 'TranchePaid', { tranche: 9, amount: '900.00' }));

    const broken = (await verify()).broken;
    expect(broken).toMatchObject({ kind: 'inserted', streamId: LEDGER, revision: 3, position: at.position(2) });
    expect(broken?.detail).toMatch(/follows revision 1 .*revision 2 was inserted/);
  });

  it('names two swapped events: reordered, at the first of them', async () => {
    const at = tamper((attacker) => attacker.swap(LEDGER, 1, 2));

    expect((await verify()).broken).toMatchObject({ kind: 'reordered', streamId: LEDGER, revision: 1, position: at.position(2) });
  });

  it('catches a statement changed after it was signed, even with the stream rehashed', async () => {
    const at = tamper((attacker) => {
      attacker.editData(LEDGER, 3, '$.total', '1200.00');
      attacker.rehash(LEDGER, 3);
    });

    expect((await verify()).broken).toMatchObject({ kind: 'changed', streamId: LEDGER, revision: 3, position: at.position(3) });
  });

  it('needs the digest to catch an edit whose stream was rehashed: the chains link up, the digest does not match', async () => {
    const taken = await digest();
    tamper((attacker) => {
      attacker.editData(LEDGER, 2, '$.amount', '5000.00');
      attacker.rehash(LEDGER, 2);
    });

    const report = await verify(taken);
    expect(report.broken).toBeUndefined();
    expect(report.digest).toMatchObject({ matches: false, expected: formatDigest(taken) });
    expect(report.digest?.detail).toMatch(`the log up to position ${taken.position}`);
  });

  it('catches the last event of a stream removed with the digest: the log no longer reaches its position', async () => {
    const taken = await digest();
    tamper((attacker) => attacker.delete(LEDGER, 5));

    const report = await verify(taken);
    expect(report.broken).toBeUndefined();
    expect(report.digest).toMatchObject({ matches: false });
    expect(report.digest?.detail).toMatch(/ends at position \d+, before the digest's position/);
  });
});
