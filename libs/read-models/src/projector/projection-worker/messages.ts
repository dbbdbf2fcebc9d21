import type { AppConfig } from '@cl/config';
import type { DrainedWrites } from '../../projections/batch-writes';

/** What the worker opens for itself: the same event store and read models as the rebuild. */
export interface ProjectionWorkerData {
  eventStore: AppConfig['eventStore'];
  readModels: AppConfig['readModels'];
  /** The shadow's checkpoint: the worker projects the events after it. */
  after: number;
  batchSize: number;
  batchesAhead: number;
}

/** One batch projected by the worker, for the rebuild's thread to write in one transaction. */
export interface ProjectedBatch {
  kind: 'batch';
  /** 1, 2, 3…: the order in which the batches are written. */
  sequence: number;
  /** The checkpoint the batch was projected from: the shadow's must still be it. */
  checkpointBefore: number;
  checkpoint: number;
  /** Events read, projected or only moving the checkpoint (the progress shown). */
  events: number;
  writes: DrainedWrites;
  /** StatsDelta.movesAsText(). */
  stats: [string, string][];
}

/** Worker → rebuild. */
export type FromProjectionWorker =
  | ProjectedBatch
  | { kind: 'done' }
  | { kind: 'failed'; message: string; stack?: string };

/** Rebuild → worker: every batch up to `sequence` is committed. */
export interface BatchesCommitted {
  kind: 'committed';
  sequence: number;
}
