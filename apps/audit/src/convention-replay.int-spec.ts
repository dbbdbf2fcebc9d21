import { randomUUID } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { conventionStream } from '@cl/domain';
import { SqliteEventStore, type EventStore } from '@cl/event-store';
import { EventStoreDbEventStore } from '@cl/event-store/eventstoredb';
import { createReadModelDb, createReadModelSchema, Projector, type ReadModelDb } from '@cl/read-models';
import { EsdbTestServer } from '../../../test/support/esdb-server';
import { FUNDER, referenceCase } from '../../../test/read-models/support/ledger-fixture';
import { replayConvention } from './convention-replay';

const C = 'c-replayed';

interface StoreUnderTest {
  store: EventStore;
  close(): Promise<void>;
}

const STORES: Array<[string, () => Promise<StoreUnderTest>]> = [
  ['embedded', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cl-replay-store-'));
    const store = new SqliteEventStore(path.join(dir, 'events.sqlite'));
    return { store, close: async () => { await store.close(); fs.rmSync(dir, { recursive: true, force: true }); } };
  }],
  ['EventStoreDB (protocol test server)', async () => {
    const server = await EsdbTestServer.start({ supportsBatchAppend: true });
    const store = new EventStoreDbEventStore(server.connectionString);
    return { store, close: async () => { await store.close(); await server.close(); } };
  }],
];

/** The replay (docs/audit.md) on both event stores, through the port, against SQLite read models. */
describe.each(STORES)('replayConvention on the %s store', (_name, open) => {
  let underTest: StoreUnderTest;
  let dir: string;
  let db: ReadModelDb;
  const positions: number[] = [];

  beforeAll(async () => {
    underTest = await open();
    // One event per append, so that every event has a position of its own to replay up to.
    for (const event of referenceCase(C)) {
      const requestId = randomUUID();
      const { position } = await underTest.store.appendToStream(conventionStream(C), [{
        id: randomUUID(), type: event.type, data: event.data as unknown as Record<string, unknown>,
        metadata: { actor: FUNDER, recordedAt: new Date().toISOString(), requestId, correlationId: requestId, causationId: requestId, schemaVersion: event.schemaVersion },
      }], 'any');
      positions.push(position);
    }
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cl-replay-rm-'));
    db = createReadModelDb({ kind: 'sqlite', file: path.join(dir, 'read-models.sqlite') });
    await createReadModelSchema(db);
    await new Projector(underTest.store, db).catchUp();
  });
  afterAll(async () => {
    await db.destroy();
    fs.rmSync(dir, { recursive: true, force: true });
    await underTest.close();
  });

  it('rebuilds the convention from its events, step by step, and finds the read models equal', async () => {
    const result = await replayConvention(underTest.store, db, { conventionId: C });
    expect(result.steps.map((step) => step.recorded.position)).toEqual(positions);
    expect(result.steps[0].figures?.status).toBe('draft');
    expect(result.replayed?.balance).toMatchObject({ status: 'settled', received: '1200000.00', consumed: '660000.75', restitution: { due: '539999.25', outstanding: '0.00' } });
    expect(result.replayed?.statements).toEqual([
      { number: 1, total: '610000.75', cumulativeTotal: '610000.75' },
      { number: 2, total: '50000.00', cumulativeTotal: '660000.75' },
    ]);
    expect(result.differences).toEqual([]);
    expect(result.readModelsBehind).toBeUndefined();
  });

  it('up to a position, and as of a business date, equal to the read models as known then', async () => {
    const firstPayment = positions[5];
    const result = await replayConvention(underTest.store, db, { conventionId: C, until: { position: firstPayment }, asOf: '2020-06-30' });
    expect(result.steps).toHaveLength(6);
    expect(result.replayed?.balance).toMatchObject({ asOf: '2020-06-30', status: 'active', received: '800000.00', committed: '0.00' });
    expect(result.differences).toEqual([]);
  });

  it('names each field where the read models say otherwise', async () => {
    await db.updateTable('rm_expenses').set({ amount: '400000.01' }).where('convention_id', '=', C).where('expense_id', '=', 'e1').execute();
    try {
      const result = await replayConvention(underTest.store, db, { conventionId: C });
      expect(result.differences).toEqual(expect.arrayContaining([
        'balance.committed: replay "660000.75", read models "660000.76"',
        'expenses.0.amount: replay "400000.00", read models "400000.01"',
      ]));
    } finally {
      await db.updateTable('rm_expenses').set({ amount: '400000.00' }).where('convention_id', '=', C).where('expense_id', '=', 'e1').execute();
    }
  });

  it('names a stored current figure that says otherwise, though the facts agree', async () => {
    await db.updateTable('rm_balances').set({ committed: '660000.74' }).where('convention_id', '=', C).execute();
    try {
      const result = await replayConvention(underTest.store, db, { conventionId: C });
      expect(result.differences).toEqual(['storedBalance.committed: replay "660000.75", read models "660000.74"']);
    } finally {
      await db.updateTable('rm_balances').set({ committed: '660000.75' }).where('convention_id', '=', C).execute();
    }
  });

  it('an unknown convention replays nothing', async () => {
    const result = await replayConvention(underTest.store, db, { conventionId: 'c-unknown' });
    expect(result.replayed).toBeUndefined();
    expect(result.steps).toEqual([]);
  });
});
