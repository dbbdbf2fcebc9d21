import type { Kysely } from 'kysely';
import { conventionIdOf, isConventionEventType, upcast, type ConventionEventType } from '@cl/domain';
import type { ProjectableEvent } from '@cl/event-store';
import { readCheckpoint, writeCheckpoint } from '../database/checkpoint';
import type { ReadModelTables } from '../database/read-model-tables';
import { applyStatsDelta, refreshFigures, StatsDelta } from './balance-projection';
import { BatchWrites, statementTemplatesOf, type StatementTemplates } from './batch-writes';
import { CACHED_CONVENTIONS, conventionStateCacheOf, type ConventionStateCache } from './convention-state-cache';
import type { ConventionState } from './convention-state';
import type { Projected, ReadModelTx } from './projection-context';
import { PROJECTION_HANDLERS } from './projection-handlers';

export interface ConventionEventRecord {
  conventionId: string;
  recorded: ProjectableEvent;
}

/** One event through its handler, on the convention's state; its rows are written at the flush. */
function fold(state: ConventionState, writes: BatchWrites, { conventionId, recorded }: ConventionEventRecord): void {
  const event = upcast({ type: recorded.type, schemaVersion: recorded.metadata?.schemaVersion, data: recorded.data });
  const handler = PROJECTION_HANDLERS[event.type] as (projected: Projected<ConventionEventType>) => void;
  handler({ state, writes, conventionId, data: event.data as Projected<ConventionEventType>['data'], recorded });
  if (state.convention) {
    state.convention.last_revision = recorded.revision;
    state.convention.last_position = recorded.position;
    writes.update('rm_conventions', state.convention);
  }
}

/**
 * Consecutive runs of events touching at most `limit` conventions each, so that the states held
 * in memory stay bounded however many conventions a batch touches.
 */
function* slicesTouchingAtMost(events: readonly ConventionEventRecord[], limit: number): Generator<ConventionEventRecord[]> {
  let slice: ConventionEventRecord[] = [];
  let conventions = new Set<string>();
  for (const event of events) {
    if (!conventions.has(event.conventionId) && conventions.size === limit) {
      yield slice;
      slice = [];
      conventions = new Set();
    }
    conventions.add(event.conventionId);
    slice.push(event);
  }
  if (slice.length > 0) yield slice;
}

/** The conventions a slice touches, each with the position of its last event in the slice. */
export function lastPositionsOf(slice: readonly ConventionEventRecord[]): Map<string, number> {
  const lastPositions = new Map<string, number>();
  for (const { conventionId, recorded } of slice) lastPositions.set(conventionId, recorded.position);
  return lastPositions;
}

/**
 * The conventions whose stream begins in this slice (its first event there is the stream's first,
 * revision 0): nothing of them was projected before, so the tables hold no row of theirs and
 * their state starts empty without a read. On PostgreSQL those reads were about 40 % of the
 * server's statement time in a rebuild (docs/performance.md): sequential scans of shadow tables
 * still growing, not yet analyzed.
 */
export function startingStreamsOf(slice: readonly ConventionEventRecord[]): Set<string> {
  const seen = new Set<string>();
  const starting = new Set<string>();
  for (const { conventionId, recorded } of slice) {
    if (seen.has(conventionId)) continue;
    seen.add(conventionId);
    if (recorded.revision === 0) starting.add(conventionId);
  }
  return starting;
}

/** The events, each through its handler on the in-memory states; the rows go to `writes`. */
export function foldEvents(states: ReadonlyMap<string, ConventionState>, events: readonly ConventionEventRecord[], writes: BatchWrites): void {
  for (const event of events) fold(states.get(event.conventionId)!, writes, event);
}

/**
 * The figures of each convention touched, once per batch (over all its expenses, so not per
 * event), as of its last event in the batch.
 */
export function refreshFiguresOf(
  states: ReadonlyMap<string, ConventionState>, lastPositions: ReadonlyMap<string, number>, writes: BatchWrites, delta: StatsDelta,
): void {
  for (const [conventionId, lastPosition] of lastPositions) refreshFigures(states.get(conventionId)!, lastPosition, writes, delta);
}

async function projectSlice(
  tx: ReadModelTx, cache: ConventionStateCache, templates: StatementTemplates, slice: readonly ConventionEventRecord[], delta: StatsDelta,
): Promise<void> {
  const lastPositions = lastPositionsOf(slice);
  const states = await cache.statesOf(tx, [...lastPositions.keys()], startingStreamsOf(slice));
  const writes = new BatchWrites();
  foldEvents(states, slice, writes);
  refreshFiguresOf(states, lastPositions, writes, delta);
  await writes.flush(tx, templates);
  cache.keep(states.values());
}

/**
 * The events of a batch that the projections take (those after `checkpointBefore` on convention
 * streams, of a type this version knows), and the checkpoint once the batch is applied: events of
 * other streams only move it. With `admits`, the run stops before the first projected event of a
 * convention it refuses (`taken`: the events consumed); the rebuild's worker bounds its batches
 * so, in the same pass.
 */
export function eventsToProject(
  events: readonly ProjectableEvent[], checkpointBefore: number, admits?: (conventionId: string) => boolean,
): { projected: ConventionEventRecord[]; checkpoint: number; taken: number } {
  let checkpoint = checkpointBefore;
  const projected: ConventionEventRecord[] = [];
  for (let index = 0; index < events.length; index++) {
    const recorded = events[index];
    if (recorded.position <= checkpoint) continue;
    const conventionId = projectedConventionOf(recorded, checkpoint);
    if (conventionId !== undefined) {
      if (admits && !admits(conventionId)) return { projected, checkpoint, taken: index };
      projected.push({ conventionId, recorded });
    }
    checkpoint = recorded.position;
  }
  return { projected, checkpoint, taken: events.length };
}

/** The convention whose state `recorded` changes, if the projections take it (eventsToProject). */
export function projectedConventionOf(recorded: ProjectableEvent, checkpoint: number): string | undefined {
  if (recorded.position <= checkpoint || !isConventionEventType(recorded.type)) return undefined;
  return conventionIdOf(recorded.streamId);
}

/** The end of a batch's transaction: the stats moved by the batch's delta, and the checkpoint. */
export async function closeBatch(
  tx: ReadModelTx, templates: StatementTemplates, delta: StatsDelta, checkpointBefore: number, checkpoint: number,
): Promise<void> {
  const statsWrites = new BatchWrites();
  await applyStatsDelta(tx, delta, statsWrites);
  await statsWrites.flush(tx, templates);
  if (checkpoint !== checkpointBefore) await writeCheckpoint(tx, checkpoint);
}

/**
 * Applies a batch of events from the global log and moves the checkpoint, in ONE transaction:
 * either the read models and the checkpoint both include the batch, or neither does. Events at
 * or before the stored checkpoint are skipped, so replaying a batch (after a crash between the
 * commit and the caller learning of it, or a duplicate delivery) changes nothing.
 * The writes are aggregated in memory and written as multi-row statements; the convention states
 * they are computed from are kept between batches (convention-state-cache.ts), so pass the same
 * Kysely instance to every batch of a database.
 * Returns the checkpoint after the batch.
 */
export async function applyBatch(db: Kysely<ReadModelTables>, events: readonly ProjectableEvent[]): Promise<number> {
  if (events.length === 0) return readCheckpoint(db);
  const cache = conventionStateCacheOf(db);
  const templates = statementTemplatesOf(db);
  return cache.exclusive(async () => {
    const touched = new Set<string>();
    try {
      return await db.transaction().execute(async (tx) => {
        const checkpointBefore = await readCheckpoint(tx);
        const { projected, checkpoint } = eventsToProject(events, checkpointBefore);
        for (const { conventionId } of projected) touched.add(conventionId);
        const delta = new StatsDelta();
        delta.add('events', projected.length);
        for (const slice of slicesTouchingAtMost(projected, CACHED_CONVENTIONS)) await projectSlice(tx, cache, templates, slice, delta);
        await closeBatch(tx, templates, delta, checkpointBefore, checkpoint);
        return checkpoint;
      });
    } catch (error) {
      // The states these events changed in memory were never committed.
      cache.forget(touched);
      throw error;
    }
  });
}
