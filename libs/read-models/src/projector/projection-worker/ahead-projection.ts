import type { EventStore, ProjectableEvent } from '@cl/event-store';
import type { ReadModelDb } from '../../database/create-read-model-db';
import { StatsDelta } from '../../projections/balance-projection';
import { BatchWrites } from '../../projections/batch-writes';
import {
  eventsToProject, foldEvents, refreshFiguresOf, startingStreamsOf, type ConventionEventRecord,
} from '../../projections/apply-batch';
import type { ConventionState } from '../../projections/convention-state';
import { CACHED_CONVENTIONS, ConventionStateCache } from '../../projections/convention-state-cache';
import type { ProjectedBatch } from './messages';

export interface AheadProjectionOptions {
  /** The checkpoint the tables are at: the events after it are projected. */
  after: number;
  batchSize: number;
  /** Events read from the log at a time (READ_PAGE unless a test needs pages that end inside batches). */
  readPage?: number;
  /** Convention states kept in memory (CACHED_CONVENTIONS unless a test needs them dropped sooner). */
  cachedConventions?: number;
  /** Batches projected but not known to be committed, at most: how far the projection runs ahead of the writes. */
  batchesAhead: number;
  /** The last batch known to be committed (every one before it is too). */
  committed: () => number;
  /** Resolves once every batch up to `sequence` is committed (at once for 0). */
  whenCommitted: (sequence: number) => Promise<void>;
  /** Each batch, in order; its rows are copied before anything changes them again (a message to another thread). */
  emit: (batch: ProjectedBatch) => void;
}

/**
 * Events read from the log at a time: each page is folded into the batch's states as soon as it
 * is read, so a page's events die young instead of surviving the young generation's collections
 * until a whole batch is read (the raw read's page: docs/performance.md, "Folded page by page,
 * rows in key order").
 */
const READ_PAGE = 500;

/**
 * Projects the log into batches of rows AHEAD of their writing: the rows of batch n+1 are
 * computed while batch n is written by another thread (rebuild-in-worker.ts), which commits them
 * in order, each with its checkpoint. What makes that correct:
 * - the tables' only writer is that thread, fed by this projection alone (the rebuild's lock and
 *   shadow tables), so the convention states kept in memory are the tables' rows as they will be
 *   once the batches projected so far commit; they are used without reading the stored positions
 *   back (ConventionStateCache without `checkStored`);
 * - a state no longer kept is read back from the tables only once the batch that last wrote it
 *   has committed (`droppedWrittenBy`), never from rows not written yet;
 * - a batch touches at most as many conventions as the states kept, so no state a batch writes is
 *   dropped before the batch is emitted, and its rows leave as they are at its end.
 * A batch is read and folded a page at a time; its figures are refreshed once, at its end.
 */
export async function projectAhead(store: EventStore, shadow: ReadModelDb, options: AheadProjectionOptions): Promise<void> {
  const capacity = options.cachedConventions ?? CACHED_CONVENTIONS;
  // A batch takes at least one event and one convention: below that it would never fill.
  if (options.batchSize < 1 || capacity < 1) throw new RangeError(`batches of ${options.batchSize} events over ${capacity} conventions cannot hold an event`);
  const cache = new ConventionStateCache(false, capacity);
  /** The batch that last wrote each kept state. */
  const keptWrittenBy = new Map<string, number>();
  /** The same for states no longer kept, while that batch may not be committed yet (a few batches' worth). */
  const droppedWrittenBy = new Map<string, number>();
  let batch = new AheadBatch(1, options.after);

  /** The states of conventions new to the batch: kept, empty for a stream starting here, else read once written. */
  const load = async (conventionIds: string[], projected: readonly ConventionEventRecord[]): Promise<Map<string, ConventionState>> => {
    for (const [id, writer] of droppedWrittenBy) if (writer <= options.committed()) droppedWrittenBy.delete(id);
    const unwritten = Math.max(0, ...conventionIds.map((id) => droppedWrittenBy.get(id) ?? 0));
    if (unwritten > 0) await options.whenCommitted(unwritten);
    return shadow.transaction().execute((tx) => cache.statesOf(tx, conventionIds, startingStreamsOf(projected)));
  };

  const emit = async (): Promise<void> => {
    const { sequence, states } = batch;
    refreshFiguresOf(states, batch.lastPositions, batch.writes, batch.delta);
    for (const id of states.keys()) {
      keptWrittenBy.set(id, sequence);
      droppedWrittenBy.delete(id);
    }
    for (const dropped of cache.keep(states.values())) {
      droppedWrittenBy.set(dropped, keptWrittenBy.get(dropped) ?? sequence);
      keptWrittenBy.delete(dropped);
    }
    await options.whenCommitted(sequence - options.batchesAhead);
    options.emit({
      kind: 'batch',
      sequence,
      checkpointBefore: batch.checkpointBefore,
      checkpoint: batch.checkpoint,
      events: batch.events,
      writes: batch.writes.drain(),
      stats: batch.delta.movesAsText(),
    });
    batch = new AheadBatch(sequence + 1, batch.checkpoint);
  };

  const readPage = options.readPage ?? READ_PAGE;
  let read = options.after;
  for (;;) {
    const page = await store.readAllForProjection({ after: read || undefined, maxCount: readPage });
    for (let index = 0; index < page.length;) {
      const run = batch.take(page, index, options.batchSize, capacity);
      if (!run) {
        await emit();
        continue;
      }
      if (run.newConventions.length > 0) batch.adopt(await load(run.newConventions, run.projected));
      batch.fold(run);
      index = run.end;
    }
    if (page.length > 0) read = page[page.length - 1].position;
    if (page.length < readPage) break;
  }
  if (batch.events > 0) await emit();
}

/** One batch being projected: the states of the conventions it touches, its rows and its stats. */
class AheadBatch {
  readonly states = new Map<string, ConventionState>();
  /** The position of each convention's last event in the batch (its figures are as of it). */
  readonly lastPositions = new Map<string, number>();
  readonly writes = new BatchWrites();
  readonly delta = new StatsDelta();
  /** Events read into the batch, projected or only moving the checkpoint. */
  events = 0;
  checkpoint: number;

  constructor(readonly sequence: number, readonly checkpointBefore: number) {
    this.checkpoint = checkpointBefore;
  }

  /**
   * The longest run of `page` from `start` that this batch can still take (at most `maxEvents`
   * events in all and `maxConventions` conventions), in one pass: its events to project, the
   * conventions new to the batch, in order, and the checkpoint after it. Undefined when full.
   */
  take(page: readonly ProjectableEvent[], start: number, maxEvents: number, maxConventions: number): AheadRun | undefined {
    const newConventions: string[] = [];
    const added = new Set<string>();
    const window = page.slice(start, Math.min(page.length, start + maxEvents - this.events));
    const { projected, checkpoint, taken } = eventsToProject(window, this.checkpoint, (conventionId) => {
      if (this.states.has(conventionId) || added.has(conventionId)) return true;
      if (this.states.size + added.size === maxConventions) return false;
      added.add(conventionId);
      newConventions.push(conventionId);
      return true;
    });
    return taken === 0 ? undefined : { end: start + taken, read: taken, projected, newConventions, checkpoint };
  }

  adopt(states: ReadonlyMap<string, ConventionState>): void {
    for (const [id, state] of states) this.states.set(id, state);
  }

  fold({ projected, read, checkpoint }: AheadRun): void {
    foldEvents(this.states, projected, this.writes);
    for (const { conventionId, recorded } of projected) this.lastPositions.set(conventionId, recorded.position);
    this.delta.add('events', projected.length);
    this.events += read;
    this.checkpoint = checkpoint;
  }
}

/** A run of a page taken into a batch (AheadBatch.take). */
interface AheadRun {
  /** The index in the page after the run. */
  end: number;
  /** Events in the run, projected or only moving the checkpoint. */
  read: number;
  projected: ConventionEventRecord[];
  /** Conventions whose states the batch did not hold before the run, in order. */
  newConventions: string[];
  checkpoint: number;
}
