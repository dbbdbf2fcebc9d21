import type { EventStore, RecordedEvent } from '@cl/event-store';
import type { ReadModelDb } from '../../database/create-read-model-db';
import { StatsDelta } from '../../projections/balance-projection';
import { BatchWrites } from '../../projections/batch-writes';
import { eventsToProject, foldSlice, lastPositionsOf, projectedConventionOf, startingStreamsOf } from '../../projections/apply-batch';
import { CACHED_CONVENTIONS, ConventionStateCache } from '../../projections/convention-state-cache';
import type { ProjectedBatch } from './messages';

export interface AheadProjectionOptions {
  /** The checkpoint the tables are at: the events after it are projected. */
  after: number;
  batchSize: number;
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
 */
export async function projectAhead(store: EventStore, shadow: ReadModelDb, options: AheadProjectionOptions): Promise<void> {
  const capacity = options.cachedConventions ?? CACHED_CONVENTIONS;
  const cache = new ConventionStateCache(false, capacity);
  /** The batch that last wrote each kept state. */
  const keptWrittenBy = new Map<string, number>();
  /** The same for states no longer kept, while that batch may not be committed yet (a few batches' worth). */
  const droppedWrittenBy = new Map<string, number>();
  let position = options.after;
  let pending: RecordedEvent[] = [];
  let logEnded = false;
  for (let sequence = 1; ; sequence++) {
    if (!logEnded && pending.length < options.batchSize) {
      const after = pending.length > 0 ? pending[pending.length - 1].position : position;
      const maxCount = options.batchSize - pending.length;
      const read = await store.readAll({ after: after || undefined, maxCount });
      if (read.length < maxCount) logEnded = true;
      pending = pending.concat(read);
    }
    if (pending.length === 0) return;
    const { batch, rest } = nextBatch(pending, position, capacity);
    pending = rest;

    const { projected, checkpoint } = eventsToProject(batch, position);
    const delta = new StatsDelta();
    delta.add('events', projected.length);
    const lastPositions = lastPositionsOf(projected);
    const conventions = [...lastPositions.keys()];
    for (const [id, writer] of droppedWrittenBy) if (writer <= options.committed()) droppedWrittenBy.delete(id);
    const unwritten = Math.max(0, ...conventions.map((id) => droppedWrittenBy.get(id) ?? 0));
    if (unwritten > 0) await options.whenCommitted(unwritten);
    const states = await shadow.transaction().execute((tx) => cache.statesOf(tx, conventions, startingStreamsOf(projected)));
    const writes = new BatchWrites();
    foldSlice(states, projected, lastPositions, writes, delta);
    for (const id of conventions) {
      keptWrittenBy.set(id, sequence);
      droppedWrittenBy.delete(id);
    }
    for (const dropped of cache.keep(states.values())) {
      droppedWrittenBy.set(dropped, keptWrittenBy.get(dropped) ?? sequence);
      keptWrittenBy.delete(dropped);
    }

    await options.whenCommitted(sequence - options.batchesAhead);
    options.emit({
      kind: 'batch', sequence, checkpointBefore: position, checkpoint, events: batch.length, writes: writes.drain(), stats: delta.movesAsText(),
    });
    position = checkpoint;
  }
}

/**
 * The longest run of `events` (after `checkpoint`) whose projected events touch at most
 * `maxConventions` conventions, and what is left after it.
 */
function nextBatch(events: RecordedEvent[], checkpoint: number, maxConventions: number): { batch: RecordedEvent[]; rest: RecordedEvent[] } {
  const conventions = new Set<string>();
  for (let index = 0; index < events.length; index++) {
    const conventionId = projectedConventionOf(events[index], checkpoint);
    if (conventionId === undefined || conventions.has(conventionId)) continue;
    if (conventions.size === maxConventions) return { batch: events.slice(0, index), rest: events.slice(index) };
    conventions.add(conventionId);
  }
  return { batch: events, rest: [] };
}
