import {
  acquireSingleInstanceLock, dumpReadModels, Projector, ProjectorAlreadyRunningError, type RebuildProgress,
} from '@cl/read-models';
import { writeCheckpoint } from '../database/checkpoint';
import { outcomeOf, spawnTs, waitForOutput } from '../../../../test/read-models/support/child-process';
import { describeEachDialect } from '../../../../test/read-models/support/read-model-dialects';
import { FROZEN_MID_BATCH } from '../../../../test/read-models/support/freeze-mid-batch';
import { useProjectorSuite } from '../../../../test/read-models/support/projector-suite';

const CHILD = 'test/read-models/support/projector-child.ts';

describeEachDialect('projector', (harness) => {
  const suite = useProjectorSuite(harness);
  const { open, appendConventions, cleanRunDump } = suite;

  it('follows the live log: waitForPosition resolves once projected, lag drops to 0', async () => {
    const readModels = await open();
    const projector = new Projector(suite.ledger.store, readModels.db, { batchSize: 10 });
    await projector.start();
    try {
      const position = await appendConventions(1, 2);
      expect(await projector.waitForPosition(position, 5000)).toBe(true);
      expect(projector.checkpoint()).toBe(position);
      expect(await projector.lag()).toBe(0);
      expect(await readModels.queries.checkpoint()).toBe(position);
      expect(await readModels.queries.waitForPosition(position, 1000)).toBe(true);
      expect((await readModels.queries.getBalance('c-0002'))!.status).toBe('settled');
      expect(await projector.waitForPosition(position + 1000, 50)).toBe(false);
    } finally {
      await projector.stop();
    }
  });

  it('under load, live events wait for the next batch\'s turn and are projected together; the first one after a quiet spell at once', async () => {
    const readModels = await open();
    const projector = new Projector(suite.ledger.store, readModels.db, { batchSize: 500, liveBatchIntervalMs: 3_000 });
    await projector.start();
    try {
      // Nothing projected yet: the first convention's events go at once, well before a turn.
      const first = await appendConventions(1, 1);
      expect(await projector.waitForPosition(first, 2_000)).toBe(true);
      const checkpoints: number[] = [];
      const watch = setInterval(() => checkpoints.push(projector.checkpoint()), 5);
      const middle = await appendConventions(2, 1);
      const last = await appendConventions(3, 1);
      expect(await projector.waitForPosition(middle, 500)).toBe(false);
      expect(await projector.waitForPosition(last, 10_000)).toBe(true);
      clearInterval(watch);
      checkpoints.push(projector.checkpoint());
      // One batch took both conventions: the checkpoint went from the first straight to the last.
      expect([...new Set(checkpoints)]).toEqual([first, last]);
      expect((await readModels.queries.getBalance('c-0003'))!.status).toBe('settled');
    } finally {
      await projector.stop();
    }
  });

  it('stops at once while live events wait for their turn, and projects them on its next start', async () => {
    const readModels = await open();
    const first = await appendConventions(1, 1);
    const waiting = new Projector(suite.ledger.store, readModels.db, { batchSize: 500, liveBatchIntervalMs: 600_000 });
    await waiting.start();
    let head: number;
    try {
      expect(await waiting.waitForPosition(first, 5_000)).toBe(true);
      head = await appendConventions(2, 1);
      expect(await waiting.waitForPosition(head, 300)).toBe(false);
    } finally {
      const stopped = Date.now();
      await waiting.stop();
      expect(Date.now() - stopped).toBeLessThan(5_000);
    }
    expect(await readModels.queries.checkpoint()).toBe(first);

    const next = new Projector(suite.ledger.store, readModels.db, { batchSize: 500 });
    await next.start();
    expect(await next.waitForPosition(head, 5_000)).toBe(true);
    await next.stop();
    expect(await dumpReadModels(readModels.db)).toEqual(await cleanRunDump());
  });

  it('on stopping, reports the checkpoint committed beyond it by a rebuild swapped in since its last batch', async () => {
    const readModels = await open();
    const head = await appendConventions(1, 1);
    // No idle poll during the test: only the stop can learn of the swap.
    const projector = new Projector(suite.ledger.store, readModels.db, { batchSize: 10, idleCheckpointPollMs: 600_000 });
    await projector.start();
    expect(await projector.waitForPosition(head, 5000)).toBe(true);
    // What a swap committed by another process looks like to this one: the checkpoint moved on.
    await readModels.db.transaction().execute((tx) => writeCheckpoint(tx, head + 7));
    await projector.stop();
    expect(projector.checkpoint()).toBe(head + 7);
  });

  it('resumes from its checkpoint after a stop between batches: nothing counted twice', async () => {
    const readModels = await open();
    const firstHead = await appendConventions(1, 3);
    const first = new Projector(suite.ledger.store, readModels.db, { batchSize: 4 });
    await first.start();
    expect(await first.waitForPosition(Math.floor(firstHead / 2), 5000)).toBe(true);
    await first.stop();
    const stoppedAt = first.checkpoint();
    expect(await readModels.queries.checkpoint()).toBe(stoppedAt);

    const head = await appendConventions(4, 2);
    const second = new Projector(suite.ledger.store, readModels.db, { batchSize: 4 });
    await second.start();
    expect(second.checkpoint()).toBe(stoppedAt);
    expect(await second.waitForPosition(head, 5000)).toBe(true);
    await second.stop();

    expect((await readModels.queries.getStats()).events).toBe(head);
    expect(await dumpReadModels(readModels.db)).toEqual(await cleanRunDump());
  });

  it('rebuild drops and replays everything: identical tables, progress up to the total', async () => {
    const readModels = await open();
    const head = await appendConventions(1, 4);
    await new Projector(suite.ledger.store, readModels.db, { batchSize: 9 }).catchUp();
    const before = await dumpReadModels(readModels.db);
    expect((await readModels.queries.getStats()).events).toBe(head);

    const reports: RebuildProgress[] = [];
    const summary = await new Projector(suite.ledger.store, readModels.db, { batchSize: 25 }).rebuild((progress) => reports.push(progress));

    expect(await dumpReadModels(readModels.db)).toEqual(before);
    expect(summary).toMatchObject({ eventsDone: head, eventsTotal: head, position: head, done: true });
    expect(reports[0]).toMatchObject({ eventsDone: 0, eventsTotal: head });
    const done = reports.map((progress) => progress.eventsDone);
    expect(done).toEqual([...done].sort((a, b) => a - b));
    expect(reports.at(-1)).toMatchObject({ eventsDone: head, eventsTotal: head, etaSeconds: 0 });

    // Without a progress listener the summary still counts every event.
    const quiet = await new Projector(suite.ledger.store, readModels.db, { batchSize: 25 }).rebuild();
    expect(quiet).toMatchObject({ eventsDone: head, eventsTotal: head, done: true });
  });

  it('kill -9 in the middle of a batch, restart: same tables as a clean run', async () => {
    const readModels = await open();
    await appendConventions(1, 5);
    const env = { EVENTS_FILE: suite.ledger.eventsFile, READ_MODELS_URL: readModels.url, BATCH_SIZE: '20' };

    const doomed = spawnTs(CHILD, { ...env, FREEZE_AT_CHECKPOINT_WRITE: '3' });
    const doomedOutcome = outcomeOf(doomed);
    await waitForOutput(doomed, FROZEN_MID_BATCH);
    doomed.kill('SIGKILL');
    expect((await doomedOutcome).signal).toBe('SIGKILL');

    // Batches 1 and 2 (events 1-40) committed; batch 3 was written but not committed: nothing of it stays.
    expect(await readModels.queries.checkpoint()).toBe(40);
    expect((await readModels.queries.getStats()).events).toBe(40);

    const restarted = await outcomeOf(spawnTs(CHILD, env));
    expect(restarted).toMatchObject({ code: 0 });
    expect(restarted.stdout).toContain(`caught-up ${await suite.ledger.store.headPosition()}`);
    expect(await dumpReadModels(readModels.db)).toEqual(await cleanRunDump());
  });

  it('one projector at a time: the lock refuses a second holder, and is free again once released', async () => {
    const readModels = await open();
    const lock = await acquireSingleInstanceLock(readModels.config);
    await expect(acquireSingleInstanceLock(readModels.config)).rejects.toBeInstanceOf(ProjectorAlreadyRunningError);
    await lock.release();
    const again = await acquireSingleInstanceLock(readModels.config);
    await again.release();
  });
});
