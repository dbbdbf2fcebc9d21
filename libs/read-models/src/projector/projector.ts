import type { AllSubscription, EventStore, ProjectableEvent, RecordedEvent } from '@cl/event-store';
import type { ReadModelDb } from '../database/create-read-model-db';
import { createReadModelSchema } from '../database/read-model-schema';
import { readCheckpoint } from '../database/checkpoint';
import type { RebuildProgress } from './rebuild-progress';
import type { ProjectionWorkerConnections } from './projection-worker/rebuild-in-worker';
import { rebuildWithoutDowntime } from './shadow-rebuild';
import { applyBatchUnderWriteLock, isLockContention } from './write-locked-transaction';

export interface ProjectorOptions {
  /** Events per read and per transaction. */
  batchSize?: number;
  /** The same during a rebuild, where nobody waits on a batch (default: the larger of batchSize and 10,000). */
  rebuildBatchSize?: number;
  /** Wait before retrying after a failed batch (store or database unavailable). */
  retryDelayMs?: number;
  /** Live events buffered beyond this send the projector back to batched reads. */
  maxLiveBacklog?: number;
  /**
   * While no event arrives, how often the committed checkpoint is read again: a rebuild swapped
   * in by another process (projector/shadow-rebuild.ts) may have moved it past this projector.
   */
  idleCheckpointPollMs?: number;
  /** Under load, the least time between the starts of two live batches (LIVE_BATCH_INTERVAL_MS). */
  liveBatchIntervalMs?: number;
  onError?: (error: unknown) => void;
}

/**
 * Events per transaction during a rebuild: larger batches mean fewer transactions and larger
 * multi-row writes, while memory stays bounded (a few batches' rows and the convention states).
 * 10,000 rather than 20,000, a little faster still: about 250 MB of peak RSS instead of 270 to
 * 275 (rebuild_rss_mb's limit is 300), and on SQLite a batch holds the write lock, which the
 * API's idempotency writes wait for, about 90 ms instead of 180 (docs/performance.md).
 */
const REBUILD_BATCH_SIZE = 10_000;
/**
 * Under load, a live batch starts at most every 25 ms, and the events that arrive meanwhile join
 * it. A batch costs its transaction's commit, its checkpoint and figures whatever its size, and
 * the inline projector runs on the API's thread: with 100 clients sending commands it made
 * batches of about 7 events and took about a tenth of the API's CPU (docs/performance.md, "The
 * eleventh stop"). An event that arrives after a quiet spell is projected at once; a read waiting
 * for a position (?minPosition) may wait up to this much longer under load.
 */
const LIVE_BATCH_INTERVAL_MS = 25;
const CONTENTION_RETRY_MS = 100;
const MAX_QUIET_CONTENTIONS = 100;

interface PositionWaiter {
  position: number;
  resolve: (reached: boolean) => void;
}

/**
 * Keeps the read models in step with the store's global log. It reads from its own durable
 * checkpoint (never from an in-process bus), so whatever was appended while it was down is
 * projected when it starts: batches of `batchSize` from readAllForProjection until caught up, then it
 * follows subscribeToAll. Each batch and its checkpoint commit together (see applyBatch).
 */
export class Projector {
  private readonly batchSize: number;
  private readonly rebuildBatchSize: number;
  private readonly retryDelayMs: number;
  private readonly maxLiveBacklog: number;
  private readonly idleCheckpointPollMs: number;
  private readonly liveBatchIntervalMs: number;
  private lastBatchStartedAt = 0;
  /** Ends a wait for the next live batch's turn early (stop). */
  private endWaitForTurn: () => void = () => {};
  private projected = 0;
  /** Batches in a row refused for lock contention (see run). */
  private contentions = 0;
  private running?: Promise<void>;
  private stopping = false;
  private subscription?: AllSubscription;
  private wakeUp: () => void = () => {};
  private waiters: PositionWaiter[] = [];

  constructor(
    private readonly store: EventStore,
    private readonly db: ReadModelDb,
    private readonly options: ProjectorOptions = {},
  ) {
    this.batchSize = options.batchSize ?? 500;
    this.rebuildBatchSize = options.rebuildBatchSize ?? Math.max(this.batchSize, REBUILD_BATCH_SIZE);
    this.retryDelayMs = options.retryDelayMs ?? 1000;
    this.maxLiveBacklog = options.maxLiveBacklog ?? this.batchSize * 20;
    this.idleCheckpointPollMs = options.idleCheckpointPollMs ?? 1000;
    this.liveBatchIntervalMs = options.liveBatchIntervalMs ?? LIVE_BATCH_INTERVAL_MS;
  }

  /** Creates the schema if needed, loads the checkpoint and starts projecting in the background. */
  async start(): Promise<void> {
    if (this.running) return;
    await createReadModelSchema(this.db);
    this.advanceTo(await readCheckpoint(this.db));
    this.stopping = false;
    this.running = this.run();
  }

  /** Stops between batches: the batch in progress commits first. */
  async stop(): Promise<void> {
    this.stopping = true;
    this.wakeUp();
    this.endWaitForTurn();
    await this.subscription?.close().catch(() => undefined);
    await this.running;
    this.running = undefined;
    // A rebuild swapped in since the last idle poll may have committed further than this
    // projector went itself: what it reports on stopping is what the read models hold.
    await this.followCommittedCheckpoint().catch(() => undefined);
    for (const waiter of this.waiters.splice(0)) waiter.resolve(this.projected >= waiter.position);
  }

  /** Last global position included in the read models. */
  checkpoint(): number {
    return this.projected;
  }

  async lag(): Promise<number> {
    return Math.max(0, (await this.store.headPosition()) - this.projected);
  }

  /** True once the read models include `position`, false after `timeoutMs` (for ?minPosition). */
  waitForPosition(position: number, timeoutMs: number): Promise<boolean> {
    if (this.projected >= position) return Promise.resolve(true);
    return new Promise((resolve) => {
      const waiter: PositionWaiter = {
        position,
        resolve: (reached) => {
          clearTimeout(timer);
          this.waiters = this.waiters.filter((other) => other !== waiter);
          resolve(reached);
        },
      };
      const timer = setTimeout(() => waiter.resolve(false), timeoutMs);
      this.waiters.push(waiter);
    });
  }

  /**
   * Projects batches until the log has nothing more after the checkpoint. Used by one-shot runs;
   * the background loop uses the same step.
   */
  async catchUp(): Promise<number> {
    if (this.projected === 0) this.advanceTo(await readCheckpoint(this.db));
    while (!this.stopping) {
      const batch = await this.store.readAllForProjection({ after: this.projected || undefined, maxCount: this.batchSize });
      if (batch.length === 0) break;
      await this.project(batch);
    }
    return this.projected;
  }

  /**
   * Rebuilds every read model from position 0 into shadow tables and swaps them in atomically
   * (shadow-rebuild.ts): readers and a running live projector carry on meanwhile. Resumes the
   * shadow tables of an interrupted rebuild unless `fromScratch`. Whoever calls this holds the
   * rebuild lock (acquireRebuildLock), not the projector's.
   * `projectInWorker`: the connections of this projector's store and read models, for a worker
   * thread to project the log while this one writes (projection-worker/); without it, or when
   * they cannot be opened twice (in memory), the rebuild runs on this thread alone.
   */
  async rebuild(
    onProgress?: (progress: RebuildProgress) => void, options: { fromScratch?: boolean; projectInWorker?: ProjectionWorkerConnections } = {},
  ): Promise<RebuildProgress> {
    const summary = await rebuildWithoutDowntime(this.store, this.db, {
      batchSize: this.rebuildBatchSize, fromScratch: options.fromScratch, onProgress, projectInWorker: options.projectInWorker,
    });
    if (summary.position > this.projected) this.advanceTo(summary.position);
    return summary;
  }

  private async run(): Promise<void> {
    while (!this.stopping) {
      try {
        await this.catchUp();
        if (!this.stopping) await this.followLiveEvents();
      } catch (error) {
        // A rebuild swapping its tables in holds the write lock for a moment (SQLite): the batch
        // is retried shortly, without reporting a failure, unless that lasts.
        const contention = isLockContention(error) && ++this.contentions <= MAX_QUIET_CONTENTIONS;
        if (!contention) this.options.onError?.(error);
        await this.pause(contention ? CONTENTION_RETRY_MS : this.retryDelayMs);
      }
    }
  }

  /**
   * Follows the subscription from the checkpoint. Events that arrive together are projected
   * together (one transaction per drained backlog, at most batchSize). Returns to batched reads
   * when the subscription ends or falls too far behind.
   */
  private async followLiveEvents(): Promise<void> {
    const subscription = this.store.subscribeToAll({ after: this.projected || undefined });
    this.subscription = subscription;
    const backlog: RecordedEvent[] = [];
    let ended = false;
    let failure: unknown;
    const pump = (async () => {
      try {
        for await (const recorded of subscription) {
          backlog.push(recorded);
          this.wakeUp();
        }
      } catch (error) {
        failure = error;
      } finally {
        ended = true;
        this.wakeUp();
      }
    })();
    try {
      while (!this.stopping) {
        if (backlog.length > this.maxLiveBacklog) break;
        if (backlog.length > 0) {
          if (backlog.length < this.batchSize) {
            const untilTurn = this.lastBatchStartedAt + this.liveBatchIntervalMs - Date.now();
            if (untilTurn > 0) {
              await this.waitForTurn(untilTurn);
              continue;
            }
            // The subscription hands over the events of one read over several microtasks: a turn
            // of the event loop lets them all join this batch, rather than waiting for the next turn.
            await new Promise((resolve) => setImmediate(resolve));
          }
          await this.project(backlog.splice(0, this.batchSize));
          continue;
        }
        if (ended) break;
        if (!(await this.waitForWakeUp(this.idleCheckpointPollMs))) await this.followCommittedCheckpoint();
      }
    } finally {
      this.wakeUp = () => {};
      this.subscription = undefined;
      await subscription.close().catch(() => undefined);
      await pump;
    }
    if (failure) throw failure;
  }

  /** Until the next live batch's turn (LIVE_BATCH_INTERVAL_MS), or a stop; events arriving meanwhile do not end it. */
  private waitForTurn(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(resolve, ms);
      this.endWaitForTurn = () => { clearTimeout(timer); resolve(); };
    });
  }

  /** True when woken up (an event, the end, a stop), false when `ms` passed first. */
  private waitForWakeUp(ms: number): Promise<boolean> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => resolve(false), ms);
      this.wakeUp = () => { clearTimeout(timer); resolve(true); };
    });
  }

  /**
   * A swapped-in rebuild may hold events this projector has not seen (appended while it was
   * swapped): take its checkpoint, never going back. The events up to it are then skipped by
   * applyBatch when the subscription delivers them.
   */
  private async followCommittedCheckpoint(): Promise<void> {
    const committed = await readCheckpoint(this.db);
    if (committed > this.projected) this.advanceTo(committed);
  }

  private async project(batch: readonly ProjectableEvent[]): Promise<void> {
    this.lastBatchStartedAt = Date.now();
    this.advanceTo(await applyBatchUnderWriteLock(this.db, batch));
    this.contentions = 0;
  }

  private advanceTo(checkpoint: number): void {
    this.projected = checkpoint;
    for (const waiter of [...this.waiters]) {
      if (checkpoint >= waiter.position) waiter.resolve(true);
    }
  }

  private pause(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(resolve, ms);
      this.wakeUp = () => { clearTimeout(timer); resolve(); };
    });
  }
}
