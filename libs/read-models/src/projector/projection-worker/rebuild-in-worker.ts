import * as path from 'node:path';
import { Worker } from 'node:worker_threads';
import type { AppConfig } from '@cl/config';
import { readCheckpoint } from '../../database/checkpoint';
import { dialectOf, type ReadModelDb } from '../../database/create-read-model-db';
import { closeBatch } from '../../projections/apply-batch';
import { StatsDelta } from '../../projections/balance-projection';
import { statementTemplatesOf, writeDrained, type StatementTemplates } from '../../projections/batch-writes';
import type { ReadModelTx } from '../../projections/projection-context';
import { inWriteLockedTransaction } from '../write-locked-transaction';
import type { FromProjectionWorker, ProjectedBatch, ProjectionWorkerData } from './messages';

/** What the projection worker opens for itself: the rebuild's own event store and read models. */
export interface ProjectionWorkerConnections {
  eventStore: AppConfig['eventStore'];
  readModels: AppConfig['readModels'];
}

/** Whether a worker thread can open these (an in-memory database belongs to its connection alone). */
export function canProjectInWorker(connections: ProjectionWorkerConnections): boolean {
  const storeShared = connections.eventStore.kind !== 'embedded' || connections.eventStore.file !== ':memory:';
  const readModelsShared = connections.readModels.kind !== 'sqlite' || connections.readModels.file !== ':memory:';
  return storeShared && readModelsShared;
}

/**
 * The rebuild's catch-up on two threads: a worker reads the log and projects it (reading, parsing,
 * handlers and figures: most of a rebuild's time, ahead-projection.ts), this thread writes each
 * batch's rows and checkpoint in one transaction, in order, while the worker projects the next.
 * Each batch is committed as applyBatch commits one (its rows, the stats, the checkpoint, or
 * nothing), so an interrupted rebuild resumes from the shadow's checkpoint as before.
 * Returns the shadow's checkpoint once the worker has projected the log to its end.
 */
export async function catchUpInWorker(
  connections: ProjectionWorkerConnections, shadow: ReadModelDb, batchSize: number, onBatch: (events: number, position: number) => void,
): Promise<number> {
  let position = await readCheckpoint(shadow);
  const worker = startWorker({ ...connections, after: position, batchSize, batchesAhead: BATCHES_AHEAD });
  const inbox = new WorkerInbox(worker);
  const templates = statementTemplatesOf(shadow);
  try {
    for (;;) {
      const message = await inbox.next();
      if (message.kind === 'done') return position;
      if (message.kind === 'failed') throw Object.assign(new Error(`the projection worker failed: ${message.message}`), { stack: message.stack });
      position = await writeProjectedBatch(shadow, templates, message);
      worker.postMessage({ kind: 'committed', sequence: message.sequence });
      onBatch(message.events, position);
    }
  } finally {
    await worker.terminate();
  }
}

/**
 * Batches the worker may project before the first of them is committed: it projects the next
 * while this thread writes one. More would only hold more rows in memory: the worker is the
 * slower of the two (docs/performance.md).
 */
const BATCHES_AHEAD = 2;

/**
 * One projected batch, its stats and its checkpoint, in ONE transaction (on SQLite holding the
 * write lock, as applyBatchUnderWriteLock).
 */
export async function writeProjectedBatch(shadow: ReadModelDb, templates: StatementTemplates, batch: ProjectedBatch): Promise<number> {
  const write = async (tx: ReadModelTx) => {
    const stored = await readCheckpoint(tx);
    // Only this rebuild writes the shadow (its lock); anything else means the projection is not of these tables.
    if (stored !== batch.checkpointBefore) throw new Error(`the shadow read models are at position ${stored}, the batch was projected from ${batch.checkpointBefore}`);
    await writeDrained(tx, templates, batch.writes);
    await closeBatch(tx, templates, StatsDelta.fromText(batch.stats), batch.checkpointBefore, batch.checkpoint);
    return batch.checkpoint;
  };
  if (dialectOf(shadow) === 'postgres') return shadow.transaction().execute(write);
  return inWriteLockedTransaction(shadow, (locked) => locked.transaction().execute(write));
}

const WORKER_YOUNG_GENERATION_MB = 64;

/**
 * The worker runs worker-thread.ts: from the build as is, from the sources (tests, a clone
 * without a build) through ts-node as scripts/run-app.js does.
 */
function startWorker(data: ProjectionWorkerData): Worker {
  const extension = path.extname(__filename);
  const fromSources = extension === '.ts';
  const bootstrap = `
    const { workerData } = require('node:worker_threads');
    if (workerData.sources) {
      process.env.TS_NODE_PROJECT = process.env.TS_NODE_PROJECT || workerData.sources.tsconfig;
      require(workerData.sources.tsNode).register({ transpileOnly: true });
      require(workerData.sources.tsconfigPaths);
    }
    require(workerData.entry);
  `;
  return new Worker(bootstrap, {
    eval: true,
    // The worker allocates most of a rebuild's objects: a young generation larger than the
    // rebuild thread's own (--max-semi-space-size in package.json) lets more of them die young.
    resourceLimits: { maxYoungGenerationSizeMb: WORKER_YOUNG_GENERATION_MB },
    workerData: {
      ...data,
      entry: path.join(__dirname, `worker-thread${extension}`),
      sources: fromSources
        ? { tsconfig: path.resolve(__dirname, '../../../../../tsconfig.json'), tsNode: require.resolve('ts-node'), tsconfigPaths: require.resolve('tsconfig-paths/register') }
        : undefined,
    },
  });
}

/** The worker's messages in order; its crash or exit before 'done' is a failure. */
class WorkerInbox {
  private readonly messages: FromProjectionWorker[] = [];
  private waiting?: { resolve: (message: FromProjectionWorker) => void; reject: (error: Error) => void };
  private failure?: Error;

  constructor(worker: Worker) {
    worker.on('message', (message: FromProjectionWorker) => {
      if (this.waiting) this.take()?.resolve(message);
      else this.messages.push(message);
    });
    // An error thrown in the worker arrives copied, not always as an Error of this thread.
    worker.on('error', (error: unknown) => this.fail(error instanceof Error ? error : new Error(`the projection worker failed: ${String((error as Error)?.message ?? error)}`)));
    worker.on('exit', (code) => this.fail(new Error(`the projection worker stopped (exit code ${code}) before projecting the log to its end`)));
  }

  next(): Promise<FromProjectionWorker> {
    const message = this.messages.shift();
    if (message) return Promise.resolve(message);
    if (this.failure) return Promise.reject(this.failure);
    return new Promise((resolve, reject) => {
      this.waiting = { resolve, reject };
    });
  }

  private fail(error: Error): void {
    this.failure ??= error;
    this.take()?.reject(this.failure);
  }

  private take() {
    const waiting = this.waiting;
    this.waiting = undefined;
    return waiting;
  }
}
