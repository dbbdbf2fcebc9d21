import type { Kysely } from 'kysely';
import { conventionIdOf, isConventionEventType, upcast, type ConventionEventType } from '@cl/domain';
import type { RecordedEvent } from '@cl/event-store';
import { readCheckpoint, writeCheckpoint } from '../database/checkpoint';
import type { ReadModelTables } from '../database/read-model-tables';
import { applyStatsDelta, refreshFigures, StatsDelta } from './balance-projection';
import { BatchWrites, statementTemplatesOf, type StatementTemplates } from './batch-writes';
import { CACHED_CONVENTIONS, conventionStateCacheOf, type ConventionStateCache } from './convention-state-cache';
import type { ConventionState } from './convention-state';
import type { Projected, ReadModelTx } from './projection-context';
import { PROJECTION_HANDLERS } from './projection-handlers';

interface ConventionEventRecord {
  conventionId: string;
  recorded: RecordedEvent;
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

/**
 * Events of one slice: each through its handler on the in-memory states, then the figures of each convention touched, then every row
 * written at once (batch-writes.ts).
 */
async function projectSlice(
  tx: ReadModelTx, cache: ConventionStateCache, templates: StatementTemplates, slice: readonly ConventionEventRecord[], delta: StatsDelta,
): Promise<void> {
  const lastPositions = new Map<string, number>();
  for (const { conventionId, recorded } of slice) lastPositions.set(conventionId, recorded.position);
  const states = await cache.statesOf(tx, [...lastPositions.keys()]);
  const writes = new BatchWrites(templates);
  for (const event of slice) {
    fold(states.get(event.conventionId)!, writes, event);
  }
  for (const [conventionId, lastPosition] of lastPositions) refreshFigures(states.get(conventionId)!, lastPosition, writes, delta);
  await writes.flush(tx);
  cache.keep(states.values());
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
export async function applyBatch(db: Kysely<ReadModelTables>, events: readonly RecordedEvent[]): Promise<number> {
  if (events.length === 0) return readCheckpoint(db);
  const cache = conventionStateCacheOf(db);
  const templates = statementTemplatesOf(db);
  return cache.exclusive(async () => {
    const touched = new Set<string>();
    try {
      return await db.transaction().execute(async (tx) => {
        const checkpointBefore = await readCheckpoint(tx);
        let checkpoint = checkpointBefore;
        const projected: ConventionEventRecord[] = [];
        for (const recorded of events) {
          if (recorded.position <= checkpoint) continue;
          // Events of other streams (or of a type this version does not know) only move the checkpoint.
          const conventionId = conventionIdOf(recorded.streamId);
          if (conventionId !== undefined && isConventionEventType(recorded.type)) {
            projected.push({ conventionId, recorded });
            touched.add(conventionId);
          }
          checkpoint = recorded.position;
        }
        const delta = new StatsDelta();
        delta.add('events', projected.length);
        for (const slice of slicesTouchingAtMost(projected, CACHED_CONVENTIONS)) await projectSlice(tx, cache, templates, slice, delta);
        const statsWrites = new BatchWrites(templates);
        await applyStatsDelta(tx, delta, statsWrites);
        await statsWrites.flush(tx);
        if (checkpoint !== checkpointBefore) await writeCheckpoint(tx, checkpoint);
        return checkpoint;
      });
    } catch (error) {
      // The states these events changed in memory were never committed.
      cache.forget(touched);
      throw error;
    }
  });
}
