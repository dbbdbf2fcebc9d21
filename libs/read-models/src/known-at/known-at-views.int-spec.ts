import { randomUUID } from 'node:crypto';
import { conventionStream, type ConventionEvent } from '@cl/domain';
import { applyBatch, EVERY_CONVENTION, KnownAtViews, ReadModelQueries, type KnownAt, type ReadModelDb } from '@cl/read-models';
import { describeEachDialect, type ReadModelTestDb } from '../../../../test/read-models/support/read-model-dialects';
import { FUNDER, inEffect, LedgerFixture, referenceCase } from '../../../../test/read-models/support/ledger-fixture';

const A = 'c-known-a';
const B = 'c-known-b';
const IDS = [A, B];
const T0 = Date.parse('2024-03-01T08:00:00.000Z');
const MINUTE = 60_000;

/** Everything a reader of either convention may ask, now or as of a business date. */
async function answers(queries: ReadModelQueries): Promise<string> {
  const perConvention = async (id: string) => ({
    convention: await queries.getConvention(id),
    conventionAsOf: await queries.getConvention(id, '2020-12-31'),
    balance: await queries.getBalance(id),
    balanceAsOf: await queries.getBalance(id, '2021-02-10'),
    expenses: await queries.listExpenses(id),
    expensesAsOf: await queries.listExpenses(id, '2020-10-01'),
    statements: await queries.listStatements(id),
    statement1: await queries.getStatement(id, 1),
    events: await queries.getEvents(id),
  });
  return JSON.stringify({
    list: await queries.listConventions({ scope: EVERY_CONVENTION }),
    settled: await queries.listConventions({ scope: EVERY_CONVENTION, status: 'settled' }),
    [A]: await perConvention(A),
    [B]: await perConvention(B),
  });
}

/** The two histories interleaved, as two conventions live side by side. */
function interleaved(): Array<[string, ConventionEvent]> {
  const a = referenceCase(A).map((event): [string, ConventionEvent] => [A, event]);
  const b = [...inEffect(B, 'KNOWN-B')].map((event): [string, ConventionEvent] => [B, event]);
  return a.flatMap((entry, index) => (b[index] ? [entry, b[index]] : [entry]));
}

interface Snapshot {
  position: number;
  recordedAt: string;
  answers: string;
}

describeEachDialect('what was known when (KnownAtViews)', (harness) => {
  let ledger: LedgerFixture;
  let readModels: ReadModelTestDb;
  let views: KnownAtViews;
  const snapshots: Snapshot[] = [];

  /** One event recorded a minute after the previous one, projected at once: the read models "then". */
  async function record(db: ReadModelDb, conventionId: string, event: ConventionEvent, minute: number): Promise<Snapshot> {
    const recordedAt = new Date(T0 + minute * MINUTE).toISOString();
    const requestId = randomUUID();
    const { position } = await ledger.store.appendToStream(conventionStream(conventionId), [{
      id: randomUUID(), type: event.type, data: event.data as unknown as Record<string, unknown>,
      metadata: { actor: FUNDER, recordedAt, requestId, correlationId: requestId, causationId: requestId, schemaVersion: event.schemaVersion },
    }], 'any');
    await applyBatch(db, await ledger.store.readAll({ after: position - 1, maxCount: 1 }));
    return { position, recordedAt, answers: await answers(new ReadModelQueries(db, ledger.store)) };
  }

  beforeAll(async () => {
    ledger = LedgerFixture.open();
    readModels = await harness.open(ledger.store);
    views = new KnownAtViews(readModels.db, ledger.store);
    let minute = 0;
    for (const [conventionId, event] of interleaved()) snapshots.push(await record(readModels.db, conventionId, event, ++minute));
  });
  afterAll(async () => {
    await readModels.close();
    await ledger.close();
  });

  const knownAnswers = (knownAt: KnownAt) => views.read(knownAt, IDS, answers);

  it('at every position, every query answers exactly what the read models answered then', async () => {
    for (const snapshot of snapshots) expect(await knownAnswers({ position: snapshot.position })).toBe(snapshot.answers);
  });

  it('at recording instants, and between two of them, the same answers', async () => {
    // Every third event: positions already cover each one, this proves the instant's rule.
    for (const snapshot of snapshots.filter((_, index) => index % 3 === 1)) {
      expect(await knownAnswers({ recordedBy: snapshot.recordedAt })).toBe(snapshot.answers);
      // 30 s later, in another offset: still before the next event (a minute apart).
      const later = new Date(Date.parse(snapshot.recordedAt) + 30_000).toISOString().replace('Z', '+00:00');
      expect(await knownAnswers({ recordedBy: later })).toBe(snapshot.answers);
    }
  });

  it('asked about many conventions at once (folded from the global log, not stream by stream), the same answers', async () => {
    const many = [...IDS, ...Array.from({ length: 120 }, (_, index) => `c-never-registered-${index}`)];
    for (const snapshot of snapshots.filter((_, index) => index % 4 === 2)) {
      expect(await views.read({ position: snapshot.position }, many, answers)).toBe(snapshot.answers);
      expect(await views.read({ recordedBy: snapshot.recordedAt }, many, answers)).toBe(snapshot.answers);
    }
  });

  it('beyond the last event, the current view; before the first, nothing is known', async () => {
    const current = await answers(readModels.queries);
    expect(await knownAnswers({ position: snapshots.at(-1)!.position + 1_000 })).toBe(current);
    expect(await views.read(undefined, IDS, answers)).toBe(current);
    expect(current).toBe(snapshots.at(-1)!.answers);
    await views.read({ recordedBy: new Date(T0).toISOString() }, IDS, async (view) => {
      expect(await view.getConvention(A)).toBeUndefined();
      expect(await view.listConventions({ scope: EVERY_CONVENTION })).toEqual([]);
    });
  });

  it('a convention left out of the selection is unknown to the view', async () => {
    await views.read({ position: snapshots.at(-1)!.position }, [B], async (view) => {
      expect(await view.getBalance(A)).toBeUndefined();
      expect((await view.listConventions({ scope: EVERY_CONVENTION })).map((c) => c.id)).toEqual([B]);
    });
  });
});
