import {
  applyBatch, createReadModelDb, dumpReadModels, EVERY_CONVENTION, prepareShadowReadModels, Projector, ReadModelQueries, readCheckpoint, shadowOf,
} from '@cl/read-models';
import { sql } from 'kysely';
import type { ReadModelDb } from '../database/create-read-model-db';
import { outcomeOf, spawnTs, waitForOutput } from '../../../../test/read-models/support/child-process';
import { describeEachDialect, openSqliteReadModels } from '../../../../test/read-models/support/read-model-dialects';
import { FROZEN_MID_BATCH } from '../../../../test/read-models/support/freeze-mid-batch';
import { useProjectorSuite } from '../../../../test/read-models/support/projector-suite';

/**
 * projections:rebuild without downtime (shadow-rebuild.ts): readers of the live read models see
 * the state before the swap or after it, never a partial one; a rebuild killed midway leaves the
 * live tables as they were and the next run resumes from its shadow tables.
 */
describeEachDialect('rebuild into shadow tables', (harness) => {
  const suite = useProjectorSuite(harness);
  const { open, appendConventions, cleanRunDump } = suite;

  /**
   * Answers of the read side, each read on its own (the reader holds no transaction). getStats
   * reads the figures, then the checkpoint, in two statements, which may fall on either side of
   * the swap as they may fall on either side of a live batch: its figures and the checkpoint are
   * compared apart. c-0008 exists only after the swap.
   */
  const answersOf = (queries: ReadModelQueries) => [
    async () => ({ ...(await queries.getStats()), position: undefined }),
    () => queries.checkpoint(),
    () => queries.listConventions({ scope: EVERY_CONVENTION }),
    () => queries.getBalance('c-0008'),
  ];

  it('readers of the live read models see the complete state before the swap or after it, never a partial one', async () => {
    const readModels = await open();
    await appendConventions(1, 6);
    await new Projector(suite.ledger.store, readModels.db).catchUp();
    const before = await Promise.all(answersOf(readModels.queries).map((answer) => answer()));
    const head = await appendConventions(7, 4); // not in the live read models: the rebuild brings them
    const after = await Promise.all(answersOf((await suite.projectedFromScratch()).queries).map((answer) => answer()));
    expect(after).not.toEqual(before);

    // The reader has a connection of its own, as the API beside a rebuild process.
    const reader = createReadModelDb(readModels.config);
    try {
      const answers = answersOf(new ReadModelQueries(reader));
      const seen: ('before' | 'after')[][] = answers.map(() => []);
      let rebuilding = true;
      const readerLoop = (async () => {
        // One more round once the rebuild has returned: the answers after the swap.
        for (let last = false; !last;) {
          last = !rebuilding;
          for (const [index, answer] of answers.entries()) {
            const value = await answer();
            const which = JSON.stringify(value) === JSON.stringify(before[index]) ? 'before' : JSON.stringify(value) === JSON.stringify(after[index]) ? 'after' : undefined;
            if (!which) throw new Error(`a reader saw a partial read model: ${JSON.stringify(value)}`);
            if (seen[index].at(-1) !== which) seen[index].push(which);
          }
          await new Promise((resolve) => setImmediate(resolve));
        }
      })();
      const summary = await new Projector(suite.ledger.store, readModels.db, { batchSize: 10, rebuildBatchSize: 10 }).rebuild().finally(() => { rebuilding = false; });
      await readerLoop;
      expect(summary).toMatchObject({ position: head, eventsDone: head, done: true });
      // Each answer went from before to after once, and never back.
      for (const transitions of seen) expect(transitions).toEqual(['before', 'after']);
      expect(await dumpReadModels(readModels.db)).toEqual(await cleanRunDump());
    } finally {
      await reader.destroy();
    }
  });

  it('resumes the shadow tables of an interrupted rebuild, or starts over when asked', async () => {
    const readModels = await open();
    const head = await appendConventions(1, 2);
    const interrupted = async () => {
      await prepareShadowReadModels(readModels.db, { fromScratch: true });
      return applyBatch(shadowOf(readModels.db), await suite.ledger.store.readAll({ maxCount: 20 }));
    };

    const resumedFrom = await interrupted();
    expect(resumedFrom).toBe(20);
    const resumed = await new Projector(suite.ledger.store, readModels.db).rebuild();
    expect(resumed).toMatchObject({ startPosition: 20, eventsDone: head - 20, position: head });

    await interrupted();
    const fresh = await new Projector(suite.ledger.store, readModels.db).rebuild(undefined, { fromScratch: true });
    expect(fresh).toMatchObject({ startPosition: 0, eventsDone: head, position: head });
    expect(await dumpReadModels(readModels.db)).toEqual(await cleanRunDump());
    // Swapped in: no shadow tables are left behind (reading the shadow checkpoint fails). Not
    // `rejects.toThrow()`: better-sqlite3's error class comes from the first test file a Jest
    // worker loaded, so in a later file it is not an Error of that file's realm.
    expect(await readCheckpoint(shadowOf(readModels.db)).then(() => 'shadow tables left', () => 'none')).toBe('none');
  });

  it('kill -9 midway: the live read models are untouched, and the next run resumes and ends equal to a rebuild from zero', async () => {
    const readModels = await open();
    await appendConventions(1, 3);
    await new Projector(suite.ledger.store, readModels.db).catchUp();
    const live = await dumpReadModels(readModels.db);
    const head = await appendConventions(4, 4);

    const doomed = spawnTs('test/read-models/support/rebuild-child.ts', {
      EVENTS_FILE: suite.ledger.eventsFile, READ_MODELS_URL: readModels.url, BATCH_SIZE: '10', FREEZE_AT_POSITION: String(Math.floor(head / 2)),
    });
    const doomedOutcome = outcomeOf(doomed);
    await waitForOutput(doomed, FROZEN_MID_BATCH);
    doomed.kill('SIGKILL');
    expect((await doomedOutcome).signal).toBe('SIGKILL');

    expect(await dumpReadModels(readModels.db)).toEqual(live);
    const shadowCheckpoint = await readCheckpoint(shadowOf(readModels.db));
    expect(shadowCheckpoint).toBeGreaterThanOrEqual(Math.floor(head / 2));
    expect(shadowCheckpoint).toBeLessThan(head);

    const second = await new Projector(suite.ledger.store, readModels.db, { batchSize: 25, rebuildBatchSize: 25 }).rebuild();
    expect(second).toMatchObject({ startPosition: shadowCheckpoint, eventsDone: head - shadowCheckpoint, position: head });
    expect(await dumpReadModels(readModels.db)).toEqual(await cleanRunDump());
  });
});

describe('rebuild into shadow tables, SQLite WAL checkpoints', () => {
  const suite = useProjectorSuite({ dialect: 'sqlite', open: openSqliteReadModels });
  const walAutocheckpoint = async (db: ReadModelDb) => (await sql<{ wal_autocheckpoint: number }>`PRAGMA wal_autocheckpoint`.execute(db)).rows[0].wal_autocheckpoint;

  it('checkpoints less often while it projects, and leaves the connection as it was, whether the rebuild ends or fails', async () => {
    const readModels = await suite.open();
    await suite.appendConventions(1, 2);
    await sql.raw('PRAGMA wal_autocheckpoint = 777').execute(readModels.db);
    const during: number[] = [];
    const projector = new Projector(suite.ledger.store, readModels.db, { rebuildBatchSize: 10 });
    // Read on the rebuild's own connection between its batches (the one-thread rebuild awaits nothing else there).
    await projector.rebuild(() => { void walAutocheckpoint(readModels.db).then((pages) => during.push(pages)); });
    expect(during.length).toBeGreaterThan(0);
    // The first progress is reported before the catch-up starts; those of its batches after.
    expect(during).toContain(10_000);
    expect(during.filter((pages) => pages !== 10_000 && pages !== 777)).toEqual([]);
    expect(await walAutocheckpoint(readModels.db)).toBe(777);
    expect(await dumpReadModels(readModels.db)).toEqual(await suite.cleanRunDump());

    const failing = new Projector(suite.ledger.store, readModels.db).rebuild(undefined, {
      // A directory where the event store's file should be: the worker cannot open it.
      projectInWorker: { eventStore: { kind: 'embedded', file: suite.ledger.dir }, readModels: readModels.config },
    });
    await expect(failing).rejects.toThrow(/the projection worker failed/);
    expect(await walAutocheckpoint(readModels.db)).toBe(777);
  });
});
