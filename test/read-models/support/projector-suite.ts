import { dumpReadModels, Projector } from '@cl/read-models';
import { LedgerFixture, referenceCase } from './ledger-fixture';
import type { DialectHarness, ReadModelTestDb } from './read-model-dialects';

export interface ProjectorSuite {
  /** This test's embedded store (a fresh one per test). */
  readonly ledger: LedgerFixture;
  /** A fresh, empty read-model database, closed after the test. */
  open(): Promise<ReadModelTestDb>;
  /** Reference-case conventions c-<from> to c-<from + count - 1> (~30 events each); the position of the last event. */
  appendConventions(from: number, count: number): Promise<number>;
  /** A fresh database with the whole log projected in one uninterrupted run. */
  projectedFromScratch(): Promise<ReadModelTestDb>;
  /** What a single uninterrupted projection of the whole log gives: the tables to compare with. */
  cleanRunDump(): ReturnType<typeof dumpReadModels>;
}

/**
 * The set-up of the projector's suites (projector, rebuild into shadow tables): a fresh store for
 * each test, as many read-model databases as it opens, all closed after it.
 */
export function useProjectorSuite(harness: DialectHarness): ProjectorSuite {
  let ledger: LedgerFixture | undefined;
  const opened: ReadModelTestDb[] = [];
  const suite: ProjectorSuite = {
    get ledger() {
      if (!ledger) throw new Error('the ledger exists inside a test only');
      return ledger;
    },
    async open() {
      const readModels = await harness.open();
      opened.push(readModels);
      return readModels;
    },
    async appendConventions(from, count) {
      let position = 0;
      for (let index = from; index < from + count; index++) {
        const id = `c-${String(index).padStart(4, '0')}`;
        position = await suite.ledger.append(id, referenceCase(id));
      }
      return position;
    },
    async projectedFromScratch() {
      const clean = await suite.open();
      await new Projector(suite.ledger.store, clean.db, { batchSize: 1000 }).catchUp();
      return clean;
    },
    async cleanRunDump() {
      return dumpReadModels((await suite.projectedFromScratch()).db);
    },
  };
  beforeEach(() => {
    ledger = LedgerFixture.open();
  });
  afterEach(async () => {
    for (const readModels of opened.splice(0)) await readModels.close();
    await ledger?.close();
    ledger = undefined;
  });
  return suite;
}
