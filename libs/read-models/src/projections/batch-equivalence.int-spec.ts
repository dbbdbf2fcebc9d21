import { CONVENTION_EVENT_TYPES } from '@cl/domain';
import type { RecordedEvent } from '@cl/event-store';
import { applyBatch, createReadModelDb, dumpReadModels, type ReadModelDb } from '@cl/read-models';
import { applyBatchUnderWriteLock } from '../projector/write-locked-transaction';
import { amendment, eur, expense, payment } from '../../../domain/testing/builders';
import { describeEachDialect } from '../../../../test/read-models/support/read-model-dialects';
import {
  CLOSED_OWING, CORRECTED, SETTLED_THEN_REOPENED, TERMINATED_LIQUIDATED, scenario,
} from '../../../../test/read-models/support/domain-scenarios';
import { referenceCase, referenceCaseV1, terminatedV1, useLedgerAndReadModels, type StoredEventShape } from '../../../../test/read-models/support/ledger-fixture';

/** Amended twice (ceiling, schedule, duration), with expenses before and after. */
const AMENDED = [
  payment('pay-1', 1, '800000.00', '2020-06-15'),
  ...expense('e1', '300000.00', { committedOn: '2020-06-01', serviceDoneOn: '2020-07-01', paidOn: '2020-07-15', acceptedOn: '2020-08-01' }),
  amendment({ ceiling: eur('2000000'), tranches: [
    { amount: eur('400000'), release: { on: 'consumption', threshold: eur('600000') } },
    { amount: eur('800000'), release: { on: 'consumption', threshold: eur('1000000') } },
  ] }, '2020-09-01'),
  ...expense('e2', '450000.50', { committedOn: '2020-09-10', serviceDoneOn: '2020-10-01' }),
  amendment({ durationMonths: 18 }, '2020-11-01'),
];

/** Histories of every shape, v1 and v2, each in its own stream. */
function histories(): { conventionId: string; events: StoredEventShape[] }[] {
  const decided = (conventionId: string, commands: Parameters<typeof scenario>[1]) => ({ conventionId, events: scenario(conventionId, commands).events });
  return [
    decided('c-closed-owing', CLOSED_OWING),
    decided('c-terminated', TERMINATED_LIQUIDATED),
    decided('c-reopened', SETTLED_THEN_REOPENED),
    decided('c-corrected', CORRECTED),
    decided('c-amended', AMENDED),
    { conventionId: 'c-reference', events: referenceCase('c-reference') },
    { conventionId: 'c-reference-v1', events: referenceCaseV1('c-reference-v1') },
    { conventionId: 'c-terminated-v1', events: terminatedV1('c-terminated-v1') },
  ];
}

/**
 * The projector writes a batch as aggregated multi-row statements, from convention states kept
 * in memory between batches (apply-batch.ts). Whatever the batches, the tables must be those of
 * events applied one at a time, each read back from the tables.
 */
describeEachDialect('a batch of many conventions projects as its events one by one', (harness) => {
  const fixture = useLedgerAndReadModels(harness);

  /** Every history appended a few events at a time, round robin, so that the log interleaves conventions. */
  async function interleavedLog(): Promise<RecordedEvent[]> {
    const pending = histories();
    for (let offset = 0; pending.some((h) => offset < h.events.length); offset += 3) {
      for (const { conventionId, events } of pending) {
        if (offset < events.length) await fixture.ledger.appendStored(conventionId, events.slice(offset, offset + 3));
      }
    }
    return fixture.ledger.store.readAll({ maxCount: 10_000 });
  }

  async function projectedOneByOne(log: readonly RecordedEvent[], db: (index: number) => ReadModelDb, apply = applyBatch) {
    for (const [index, recorded] of log.entries()) await apply(db(index), [recorded]);
  }

  it('one batch, one event per batch, and write-locked batches of two connections in turn give identical tables', async () => {
    const log = await interleavedLog();
    expect(new Set(log.map((e) => e.type))).toEqual(new Set(CONVENTION_EVENT_TYPES));
    expect(new Set(log.map((e) => e.streamId)).size).toBe(histories().length);

    await applyBatch(fixture.readModels.db, log);
    const whole = await dumpReadModels(fixture.readModels.db);
    expect(whole.rm_conventions).toHaveLength(histories().length);

    // One event per batch, on one instance: every batch starts from the states the previous one kept in memory.
    const cached = await harness.open();
    // One event per batch, on two connections in turn, write-locked as the projector and a
    // rebuild run them: each finds the other wrote since its own last batch.
    const alternating = await harness.open();
    const otherWriter = createReadModelDb(alternating.config);
    try {
      await projectedOneByOne(log, () => cached.db);
      expect(await dumpReadModels(cached.db)).toEqual(whole);
      await projectedOneByOne(log, (index) => (index % 2 === 0 ? alternating.db : otherWriter), applyBatchUnderWriteLock);
      expect(await dumpReadModels(alternating.db)).toEqual(whole);
    } finally {
      await otherWriter.destroy();
      await cached.close();
      await alternating.close();
    }
  });

  it('a batch that fails leaves no trace in memory: the next one starts from the tables', async () => {
    const log = await interleavedLog();
    const half = Math.floor(log.length / 2);
    await applyBatch(fixture.readModels.db, log.slice(0, half));
    // An expense committed twice: the batch fails at its write, after its events changed the states in memory.
    const committed = log.find((e) => e.type === 'ExpenseCommitted')!;
    const duplicate: RecordedEvent = { ...committed, id: 'duplicate', position: log.at(-1)!.position + 1, revision: 10_000 };
    // Compared by message: better-sqlite3's error class is the one of the first test file a Jest worker loaded.
    const failure = await applyBatch(fixture.readModels.db, [...log.slice(half), duplicate]).then(() => 'applied', (error: unknown) => String((error as Error).message));
    expect(failure).toMatch(/UNIQUE constraint|duplicate key/i);
    await applyBatch(fixture.readModels.db, log.slice(half));

    const reference = await harness.open();
    try {
      await applyBatch(reference.db, log);
      expect(await dumpReadModels(fixture.readModels.db)).toEqual(await dumpReadModels(reference.db));
    } finally {
      await reference.close();
    }
  });
});
