import { EventStoreDbEventStore } from '@cl/event-store/eventstoredb';
import { dumpReadModels, prepareShadowReadModels, Projector, readCheckpoint, shadowOf } from '@cl/read-models';
import { EsdbTestServer } from '../../../../../test/support/esdb-server';
import { appendStoredEvents, referenceCase, type LedgerFixture } from '../../../../../test/read-models/support/ledger-fixture';
import { describeEachDialect, openSqliteReadModels, type ReadModelTestDb } from '../../../../../test/read-models/support/read-model-dialects';
import { useProjectorSuite } from '../../../../../test/read-models/support/projector-suite';
import { statementTemplatesOf } from '../../projections/batch-writes';
import { projectAhead } from './ahead-projection';
import type { ProjectedBatch } from './messages';
import { writeProjectedBatch } from './rebuild-in-worker';

/** The conventions' reference cases appended event by event in turn, so that every convention comes back again and again. */
async function appendInterleaved(append: LedgerFixture['append'], ids: readonly string[]): Promise<number> {
  const cases = ids.map((id) => referenceCase(id));
  let position = 0;
  for (let step = 0; step < Math.max(...cases.map((events) => events.length)); step++) {
    for (const [index, id] of ids.entries()) {
      if (step < cases[index].length) position = await append(id, [cases[index][step]]);
    }
  }
  return position;
}

/**
 * projections:rebuild with the log projected in a worker thread while the rebuild's thread writes
 * (projection-worker/): the same tables as a projection from zero, whatever runs ahead of what.
 */
describeEachDialect('rebuild projected in a worker thread', (harness) => {
  const suite = useProjectorSuite(harness);

  it('ends equal to a projection from zero, swapped in, from the real worker thread', async () => {
    const readModels = await suite.open();
    await suite.appendConventions(1, 2);
    await new Projector(suite.ledger.store, readModels.db).catchUp();
    const head = await appendInterleaved((id, events) => suite.ledger.append(id, events), ['c-0003', 'c-0004', 'c-0005']);
    const progress: number[] = [];

    const summary = await new Projector(suite.ledger.store, readModels.db, { rebuildBatchSize: 7 }).rebuild((reported) => progress.push(reported.eventsDone), {
      projectInWorker: { eventStore: { kind: 'embedded', file: suite.ledger.eventsFile }, readModels: readModels.config },
    });

    expect(summary).toMatchObject({ startPosition: 0, eventsDone: head, position: head, done: true });
    // Batches of at most 7 events, each reported once committed.
    expect(progress.length).toBeGreaterThanOrEqual(Math.ceil(head / 7));
    expect(progress).toEqual([...progress].sort((a, b) => a - b));
    expect(await dumpReadModels(readModels.db)).toEqual(await suite.cleanRunDump());
  });

  it('never reads back a state dropped from memory before the batch that wrote it is committed', async () => {
    const readModels = await suite.open();
    const head = await appendInterleaved((id, events) => suite.ledger.append(id, events), ['c-0001', 'c-0002', 'c-0003', 'c-0004']);
    await prepareShadowReadModels(readModels.db, { fromScratch: true });
    const shadow = shadowOf(readModels.db);
    const templates = statementTemplatesOf(shadow);

    // Two states kept for four conventions in turn: each is dropped and needed again a batch or
    // two later. The writes lag behind the projection, as a busy writing thread does.
    const emitted: ProjectedBatch[] = [];
    let committed = 0;
    const waiting: Array<{ sequence: number; resolve: () => void }> = [];
    let projectionEnded = false;
    const writer = (async () => {
      for (let written = 0; ; written++) {
        while (emitted.length <= written) {
          if (projectionEnded) return;
          await new Promise((resolve) => setTimeout(resolve, 1));
        }
        await new Promise((resolve) => setTimeout(resolve, 3));
        await writeProjectedBatch(shadow, templates, emitted[written]);
        committed = emitted[written].sequence;
        for (const waiter of waiting.splice(0)) {
          if (waiter.sequence <= committed) waiter.resolve();
          else waiting.push(waiter);
        }
      }
    })();
    await projectAhead(suite.ledger.store, shadow, {
      after: 0,
      batchSize: 6,
      // Pages of 4: a batch is read over two or three pages, each folded as it arrives.
      readPage: 4,
      cachedConventions: 2,
      batchesAhead: 3,
      committed: () => committed,
      whenCommitted: (sequence) => (sequence <= committed ? Promise.resolve() : new Promise((resolve) => waiting.push({ sequence, resolve }))),
      emit: (batch) => emitted.push(structuredClone(batch)),
    }).finally(() => {
      projectionEnded = true;
    });
    await writer;

    expect(emitted.length).toBeGreaterThan(head / 6);
    expect(await readCheckpoint(shadow)).toBe(head);
    expect(await dumpReadModels(shadow)).toEqual(await suite.cleanRunDump());
  });

  it('a worker that fails fails the rebuild and leaves the live read models as they were', async () => {
    const readModels = await suite.open();
    await suite.appendConventions(1, 2);
    await new Projector(suite.ledger.store, readModels.db).catchUp();
    const live = await dumpReadModels(readModels.db);
    await suite.appendConventions(3, 1);

    const rebuild = new Projector(suite.ledger.store, readModels.db).rebuild(undefined, {
      // A directory where the event store's file should be: the worker cannot open it.
      projectInWorker: { eventStore: { kind: 'embedded', file: suite.ledger.dir }, readModels: readModels.config },
    });

    await expect(rebuild).rejects.toThrow(/the projection worker failed/);
    expect(await dumpReadModels(readModels.db)).toEqual(live);
  });
});

describe('rebuild projected in a worker thread, the log on EventStoreDB', () => {
  it('ends equal to a projection from zero (the worker reads $all through its own gRPC client)', async () => {
    // System events between the application's (systemEventEvery): they only move the checkpoint.
    const server = await EsdbTestServer.start({ systemEventEvery: 2 });
    const store = new EventStoreDbEventStore(server.connectionString);
    const opened: ReadModelTestDb[] = [];
    const open = async () => {
      const readModels = await openSqliteReadModels();
      opened.push(readModels);
      return readModels;
    };
    try {
      await appendInterleaved((id, events) => appendStoredEvents(store, id, events), ['c-0001', 'c-0002', 'c-0003']);
      const clean = await open();
      await new Projector(store, clean.db).catchUp();
      const rebuilt = await open();

      const summary = await new Projector(store, rebuilt.db, { rebuildBatchSize: 9 }).rebuild(undefined, {
        projectInWorker: { eventStore: { kind: 'eventstoredb', connectionString: server.connectionString }, readModels: rebuilt.config },
      });

      expect(summary.position).toBe(await store.headPosition());
      expect(await dumpReadModels(rebuilt.db)).toEqual(await dumpReadModels(clean.db));
    } finally {
      for (const readModels of opened) await readModels.close();
      await store.close();
      await server.close();
    }
  });
});
