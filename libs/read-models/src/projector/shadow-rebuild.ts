import { sql } from 'kysely';
import type { EventStore, ProjectableEvent } from '@cl/event-store';
import { dialectOf, type ReadModelDb } from '../database/create-read-model-db';
import { readCheckpoint } from '../database/checkpoint';
import { prepareShadowReadModels, promoteShadowReadModels, SCHEMA_ADVISORY_LOCK_KEY } from '../database/read-model-schema';
import { shadowOf } from '../database/shadow-tables';
import { applyBatch } from '../projections/apply-batch';
import { canProjectInWorker, catchUpInWorker, type ProjectionWorkerConnections } from './projection-worker/rebuild-in-worker';
import { RebuildProgressMeter, type RebuildProgress } from './rebuild-progress';
import { applyBatchUnderWriteLock, inWriteLockedTransaction, isLockContention } from './write-locked-transaction';

export interface ShadowRebuildOptions {
  batchSize: number;
  /** Drop shadow tables left by an interrupted rebuild instead of resuming from them. */
  fromScratch?: boolean;
  onProgress?: (progress: RebuildProgress) => void;
  /** Attempts at the swap when other transactions hold the locks it needs. */
  swapAttempts?: number;
  /** Project the log in a worker thread while this one writes (projection-worker/), when these can be opened there. */
  projectInWorker?: ProjectionWorkerConnections;
}

/**
 * PostgreSQL: how long the swap waits for a table lock once it holds the live checkpoint. Below
 * the server's deadlock_timeout (1 s by default): a reader that holds a read-model table and then
 * waits for the checkpoint table makes a cycle with the swap, and the swap should be the one that
 * gives way (it tries again) rather than the reader.
 */
const SWAP_TABLE_LOCK_TIMEOUT_MS = 500;
const SWAP_RETRY_PAUSE_MS = 200;

/**
 * Rebuilds every read model from position 0 WITHOUT taking them away from readers:
 * 1. the projections write shadow tables (shadow-tables.ts) with their own checkpoint, in
 *    ordinary batches, while the live tables keep answering and the live projector (holding the
 *    single-instance lock, in the API or apps/projector) keeps projecting into them;
 * 2. once the shadow is at the head, ONE transaction holding the write lock projects the events
 *    appended meanwhile into the shadow, drops the live tables and renames the shadow ones into
 *    their place (promoteShadowReadModels), and commits. Readers see the old read models, then
 *    the new ones, never a partial one. Until that commit nothing live has changed: a rebuild that
 *    fails or is killed leaves the live read models as they were, and its shadow tables, which
 *    the next run resumes from (unless `fromScratch`).
 * The live projector's next batch reads the swapped-in checkpoint in its own transaction and
 * skips what it already includes (applyBatch); its in-memory checkpoint follows (Projector).
 */
export async function rebuildWithoutDowntime(store: EventStore, db: ReadModelDb, options: ShadowRebuildOptions): Promise<RebuildProgress> {
  const { resumed } = await prepareShadowReadModels(db, { fromScratch: options.fromScratch });
  const shadow = shadowOf(db);
  const startPosition = resumed ? await readCheckpoint(shadow) : 0;
  const meter = new RebuildProgressMeter(await store.headPosition(), startPosition);
  options.onProgress?.(meter.progress(startPosition));
  const onBatch = (events: number, position: number) => {
    // Recorded whether or not anyone listens: the summary returned below depends on it.
    const progress = meter.recordBatch(events, position);
    options.onProgress?.(progress);
  };
  await withFewerWalCheckpoints(db, async () => {
    if (options.projectInWorker && canProjectInWorker(options.projectInWorker)) {
      await catchUpInWorker(options.projectInWorker, shadow, options.batchSize, onBatch);
    } else {
      await catchUp(store, shadow, options.batchSize, onBatch);
    }
  });
  const position = await swapIn(store, db, options, onBatch);
  return meter.finish(position);
}

/**
 * SQLite: WAL pages after which a commit of the rebuild checkpoints the WAL into the database
 * file, instead of SQLite's 1,000 (4 MB). Each checkpoint copies the pages and fsyncs the file;
 * a rebuild's batches write the same pages again and again (the balances, the indexes' inner
 * pages), and fewer checkpoints copy each of them fewer times: the commits of a scale-1 rebuild
 * took 1.8 to 2.0 s instead of 3.0 to 3.1 s (docs/performance.md, "The tenth stop"). The
 * WAL grows to about 40 MB at most before its checkpoint.
 */
const REBUILD_WAL_AUTOCHECKPOINT_PAGES = 10_000;

/** Runs `work` with the connection's WAL checkpoints every REBUILD_WAL_AUTOCHECKPOINT_PAGES, then as they were. */
async function withFewerWalCheckpoints<T>(db: ReadModelDb, work: () => Promise<T>): Promise<T> {
  if (dialectOf(db) !== 'sqlite') return work();
  const before = (await sql<{ wal_autocheckpoint: number }>`PRAGMA wal_autocheckpoint`.execute(db)).rows[0].wal_autocheckpoint;
  await sql.raw(`PRAGMA wal_autocheckpoint = ${REBUILD_WAL_AUTOCHECKPOINT_PAGES}`).execute(db);
  try {
    return await work();
  } finally {
    await sql.raw(`PRAGMA wal_autocheckpoint = ${Math.trunc(before)}`).execute(db);
  }
}

/**
 * Projects batches into `db` from its own checkpoint until the log has nothing more. The next
 * batch is read while the current one is written (readAhead): on PostgreSQL the projector would
 * otherwise sit idle while the server executes each statement.
 */
async function catchUp(
  store: EventStore, db: ReadModelDb, batchSize: number, onBatch: (events: number, position: number) => void,
  apply: (db: ReadModelDb, batch: readonly ProjectableEvent[]) => Promise<number> = applyBatchUnderWriteLock,
): Promise<number> {
  let position = await readCheckpoint(db);
  let next = readAhead(store, position, batchSize);
  for (;;) {
    const batch = await next;
    if (batch.length === 0) return position;
    next = readAhead(store, batch[batch.length - 1].position, batchSize);
    try {
      position = await apply(db, batch);
    } catch (error) {
      // The batch read ahead is not wanted any more, nor its failure.
      next.catch(() => undefined);
      throw error;
    }
    onBatch(batch.length, position);
  }
}

/** Events per read of readAhead: small enough to fit in the time a statement takes on the server. */
const READ_AHEAD_PAGE = 250;

/**
 * Up to `batchSize` events after `after`, read one page per turn of the event loop: the pages
 * fill the time the batch being written waits on its database (a PostgreSQL statement, the
 * network) instead of running before or after it. With SQLite read models, whose writes never
 * wait, the pages are simply read after the batch.
 */
function readAhead(store: EventStore, after: number, batchSize: number): Promise<ProjectableEvent[]> {
  return new Promise((resolve, reject) => {
    const events: ProjectableEvent[] = [];
    const readPage = () => {
      const maxCount = Math.min(READ_AHEAD_PAGE, batchSize - events.length);
      const cursor = events.length > 0 ? events[events.length - 1].position : after;
      store.readAllForProjection({ after: cursor || undefined, maxCount }).then((page) => {
        for (const event of page) events.push(event);
        if (page.length < maxCount || events.length >= batchSize) resolve(events);
        else setImmediate(readPage);
      }, reject);
    };
    setImmediate(readPage);
  });
}

async function swapIn(
  store: EventStore, db: ReadModelDb, options: ShadowRebuildOptions, onBatch: (events: number, position: number) => void,
): Promise<number> {
  const postgres = dialectOf(db) === 'postgres';
  const attempts = options.swapAttempts ?? 20;
  for (let attempt = 1; ; attempt++) {
    try {
      return await inWriteLockedTransaction(db, async (locked) => {
        if (postgres) {
          await sql`select pg_advisory_xact_lock(${SCHEMA_ADVISORY_LOCK_KEY})`.execute(locked);
          // Every batch of the live projector begins by reading this table (applyBatch): once
          // held, the batch in progress has committed and the next one waits, before it touches
          // anything. Readers of the other tables are not held up yet.
          const live = await sql<{ name: string | null }>`select to_regclass('projection_checkpoints')::text as name`.execute(locked);
          if (live.rows[0]?.name) await sql`lock table projection_checkpoints in access exclusive mode`.execute(locked);
        }
        // The events appended since the shadow was last at the head, under the lock: nothing is
        // appended to the read models between this and the swap.
        const position = await catchUp(store, shadowOf(locked), options.batchSize, onBatch, applyBatch);
        if (postgres) await sql.raw(`set local lock_timeout = '${SWAP_TABLE_LOCK_TIMEOUT_MS}ms'`).execute(locked);
        await promoteShadowReadModels(locked);
        return position;
      });
    } catch (error) {
      if (!isLockContention(error) || attempt >= attempts) throw error;
      await new Promise((resolve) => setTimeout(resolve, SWAP_RETRY_PAUSE_MS * attempt));
    }
  }
}
