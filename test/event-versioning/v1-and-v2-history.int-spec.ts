import { randomUUID } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import Database from 'better-sqlite3';
import { conventionStream, upcast } from '@cl/domain';
import {
  checkStatementSeals, contentHashOf, linkHashAfter, SqliteEventStore, statementSealFor, verifyLog,
  type EventMetadata, type HashableEvent, type RecordedEvent,
} from '@cl/event-store';
import { createReadModelDb, Projector, ReadModelQueries, type ReadModelDb } from '@cl/read-models';
import { referenceCase, referenceCaseV1, type StoredEventShape } from '../read-models/support/ledger-fixture';
import { StoreFileTampering } from '../support/store-file-tampering';

const C = 'c-versioned';
const STREAM = conventionStream(C);

const metadataOf = (schemaVersion: number): EventMetadata => ({
  actor: { subject: 'anct-finance', roles: ['funder'] },
  recordedAt: '2021-01-04T09:00:00.000Z', requestId: 'req', correlationId: 'req', causationId: 'req', schemaVersion,
});

/**
 * The first part of the reference case as a ledger written before v2 AND before the hash chain
 * stored it: rows inserted as that store did (v1 payloads, schemaVersion 1, no hash), statement 1
 * included. The rest is appended by today's store, in the v2 shapes, with the chain.
 */
function writeAsBeforeTheChain(file: string, events: StoredEventShape[]): void {
  const db = new Database(file);
  const insert = db.prepare('INSERT INTO events (event_id, stream_id, revision, type, data, metadata) VALUES (?, ?, ?, ?, ?, ?)');
  events.forEach((event, revision) => insert.run(randomUUID(), STREAM, revision, event.type, JSON.stringify(event.data), JSON.stringify(metadataOf(event.schemaVersion))));
  db.close();
}

/** docs/audit.md, "Event versioning": v1 facts stay as stored, are read through upcast(), and stay under the chain. */
describe('a store written with version-1 events, continued with version-2 events', () => {
  let dir: string;
  let file: string;
  let legacyCount: number;

  beforeEach(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cl-versioned-'));
    file = path.join(dir, 'events.sqlite');
    const v1 = referenceCaseV1(C);
    const v2 = referenceCase(C);
    legacyCount = v1.findIndex((event) => event.type === 'StatementSigned');
    await new SqliteEventStore(file).close(); // the schema, as today's store creates it
    writeAsBeforeTheChain(file, v1.slice(0, legacyCount));

    const store = new SqliteEventStore(file);
    const stored: Array<{ type: string; data: Record<string, unknown> }> = (await store.readStream(STREAM)).map(({ type, data }) => ({ type, data }));
    for (const [index, event] of v2.slice(legacyCount).entries()) {
      const data = event.data as unknown as Record<string, unknown>;
      const statementContentHash = statementSealFor({ type: event.type, data }, stored);
      stored.push({ type: event.type, data });
      await store.appendToStream(STREAM, [{
        id: randomUUID(), type: event.type, data,
        metadata: { ...metadataOf(event.schemaVersion), ...(statementContentHash ? { statementContentHash } : {}) },
      }], legacyCount + index - 1);
    }
    await store.close();
  });

  afterEach(() => {
    fs.rmSync(dir, { recursive: true, force: true });
  });

  async function withStore<T>(use: (store: SqliteEventStore) => Promise<T>): Promise<T> {
    const store = new SqliteEventStore(file);
    try {
      return await use(store);
    } finally {
      await store.close();
    }
  }

  it('holds both versions as stored: v1 before the chain, v2 chained after them', async () => {
    const stream = await withStore((store) => store.readStream(STREAM));
    const statement1 = stream.find((event) => event.type === 'StatementDrawnUp' && event.data.number === 1)!;
    const statement2 = stream.find((event) => event.type === 'StatementDrawnUp' && event.data.number === 2)!;

    expect(statement1.metadata).toMatchObject({ schemaVersion: 1 });
    expect(statement1.metadata.hash).toBeUndefined();
    expect(statement1.data).not.toHaveProperty('drawnUpOn');
    expect(statement2.metadata).toMatchObject({ schemaVersion: 2, hash: expect.stringMatching(/^[0-9a-f]{64}$/) });
  });

  it('keeps the hash chain valid, over the stored form and never the upcast one', async () => {
    const report = await withStore((store) => verifyLog(store, { checkStream: (stream) => checkStatementSeals(stream).broken }));
    expect(report).toMatchObject({ events: referenceCase(C).length, legacyEvents: legacyCount, brokenStreams: 0 });
    expect(report.broken).toBeUndefined();

    const stream = await withStore((store) => store.readStream(STREAM));
    const legacy = stream.slice(0, legacyCount);
    const asUpcast = (event: RecordedEvent): HashableEvent => ({ ...event, data: upcast({ type: event.type, schemaVersion: 1, data: event.data }).data as unknown as Record<string, unknown> });
    const firstChained = stream[legacyCount];
    expect(firstChained.metadata.previousHash).toBe(linkHashAfter(legacy));
    expect(firstChained.metadata.previousHash).not.toBe(linkHashAfter(legacy.map(asUpcast)));

    // Statement 1 (v1) is signed in v2 times: the seal is the hash of the v1 payload as stored.
    const statement1 = stream.find((event) => event.type === 'StatementDrawnUp' && event.data.number === 1)!;
    const signature = stream.find((event) => event.type === 'StatementSigned' && event.data.number === 1)!;
    expect(signature.metadata.statementContentHash).toBe(contentHashOf(statement1.data));
    expect(signature.metadata.statementContentHash).not.toBe(contentHashOf(asUpcast(statement1).data));
  });

  it('rebuilds the read models from both versions: v1 statements through upcast(), the v2 ones as recorded', async () => {
    const readModels: ReadModelDb = createReadModelDb({ kind: 'sqlite', file: path.join(dir, 'read-models.sqlite') });
    try {
      await withStore((store) => new Projector(store, readModels).rebuild());
      const queries = new ReadModelQueries(readModels);

      expect(await queries.getBalance(C)).toMatchObject({
        status: 'settled', participation: '660000.75', restitution: { due: '539999.25', paid: '539999.25', outstanding: '0.00' },
      });
      expect(await queries.getStatement(C, 1)).toMatchObject({ cutoff: '2020-12-31', drawnUpOn: '2020-12-31', corrections: [], previousCumulativeTotal: '0.00', cumulativeTotal: '610000.75' });
      expect(await queries.getStatement(C, 2)).toMatchObject({ cutoff: '2021-05-11', drawnUpOn: '2021-05-15', previousCumulativeTotal: '610000.75', cumulativeTotal: '660000.75' });
      expect(await queries.getConvention(C)).toMatchObject({ funder: expect.objectContaining({ organisation: '' }) });
    } finally {
      await readModels.destroy();
    }
  });

  it('catches a v1 event changed in the file: at the first chained event, which covers every event before the chain', async () => {
    const tampering = new StoreFileTampering(file);
    const [payment] = tampering.find('TranchePaid');
    tampering.editData(STREAM, payment.revision, '$.amount', '900000.00');
    const firstChained = tampering.row(STREAM, legacyCount).position;
    tampering.close();

    const report = await withStore((store) => verifyLog(store));
    expect(payment.revision).toBeLessThan(legacyCount);
    expect(report.broken).toMatchObject({ kind: 'changed', streamId: STREAM, revision: legacyCount, position: firstChained });
    expect(report.broken?.detail).toMatch(`does not match the events recorded before the chain (revisions 0..${legacyCount - 1})`);
  });
});
