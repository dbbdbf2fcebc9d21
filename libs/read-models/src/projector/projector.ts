import type { AllSubscription, EventStore, RecordedEvent } from '@cl/event-store';
import type { ReadModelDb } from '../database/create-read-model-db';
import { createReadModelSchema, dropReadModelSchema } from '../database/read-model-schema';
import { readCheckpoint } from '../database/checkpoint';
import { applyBatch } from '../projections/apply-batch';
import { RebuildProgressMeter, type RebuildProgress } from './rebuild-progress';

export interface ProjectorOptions {
  /** Events per read and per transaction. */
  batchSize?: number;
  /** The same during a rebuild, where nobody waits on a batch (default: the larger of batchSize and 5,000). */
  rebuildBatchSize?: number;
  /** Wait before retrying after a failed batch (store or database unavailable). */
  retryDelayMs?: number;
  /** Live events buffered beyond this send the projector back to batched reads. */
  maxLiveBacklog?: number;
  onError?: (error: unknown) => void;
}

/**
 * Events per transaction during a rebuild: larger batches mean fewer transactions and larger
 * multi-row writes, while memory stays bounded (one batch of events and the convention states).
 */
const REBUILD_BATCH_SIZE = 5_000;

interface PositionWaiter {
  position: number;
  resolve: (reached: boolean) => void;
}

/**
 * Keeps the read models in step with the store's global log. It reads from its own durable
 * checkpoint (never from an in-process bus), so whatever was appended while it was down is
 * projected when it starts: batches of `batchSize` from readAll until caught up, then it
 * follows subscribeToAll. Each batch and its checkpoint commit together (see applyBatch).
 */
export class Projector {
  private readonly batchSize: number;
  private readonly rebuildBatchSize: number;
  private readonly retryDelayMs: number;
  private readonly maxLiveBacklog: number;
  private projected = 0;
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
    await this.subscription?.close().catch(() => undefined);
    await this.running;
    this.running = undefined;
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
   * Projects batches until the log has nothing more after the checkpoint. Used by rebuild and by
   * one-shot runs; the background loop uses the same step.
   */
  async catchUp(onBatch?: (batch: readonly RecordedEvent[]) => void, batchSize = this.batchSize): Promise<number> {
    if (this.projected === 0) this.advanceTo(await readCheckpoint(this.db));
    while (!this.stopping) {
      const batch = await this.store.readAll({ after: this.projected || undefined, maxCount: batchSize });
      if (batch.length === 0) break;
      await this.project(batch);
      onBatch?.(batch);
    }
    return this.projected;
  }

  /**
   * Drops every read model, recreates the schema and replays the log from position 0. The
   * projector must not be running; whoever calls this holds the single-instance lock.
   */
  async rebuild(onProgress?: (progress: RebuildProgress) => void): Promise<RebuildProgress> {
    if (this.running) throw new Error('stop the projector before rebuilding');
    this.stopping = false;
    await dropReadModelSchema(this.db);
    await createReadModelSchema(this.db);
    this.projected = 0;
    const meter = new RebuildProgressMeter(await this.store.headPosition());
    onProgress?.(meter.progress(0));
    await this.catchUp((batch) => {
      // Recorded whether or not anyone listens: the summary returned below depends on it.
      const progress = meter.recordBatch(batch.length, this.projected);
      onProgress?.(progress);
    }, this.rebuildBatchSize);
    return meter.finish(this.projected);
  }

  private async run(): Promise<void> {
    while (!this.stopping) {
      try {
        await this.catchUp();
        if (!this.stopping) await this.followLiveEvents();
      } catch (error) {
        this.options.onError?.(error);
        await this.pause(this.retryDelayMs);
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
          await this.project(backlog.splice(0, this.batchSize));
          continue;
        }
        if (ended) break;
        await new Promise<void>((resolve) => { this.wakeUp = resolve; });
      }
    } finally {
      this.wakeUp = () => {};
      this.subscription = undefined;
      await subscription.close().catch(() => undefined);
      await pump;
    }
    if (failure) throw failure;
  }

  private async project(batch: readonly RecordedEvent[]): Promise<void> {
    this.advanceTo(await applyBatch(this.db, batch));
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
