import type { Kysely } from 'kysely';
import { conventionIdOf, isConventionEventType, upcast, type ConventionEventType } from '@cl/domain';
import type { RecordedEvent } from '@cl/event-store';
import { readCheckpoint, writeCheckpoint } from '../database/checkpoint';
import type { ReadModelTables } from '../database/read-model-tables';
import { refreshBalancesAndStats } from './balance-projection';
import { recordStreamProgress } from './stream-progress-projection';
import type { Projected, ReadModelTx } from './projection-context';
import { PROJECTION_HANDLERS } from './projection-handlers';

async function applyOne(tx: ReadModelTx, conventionId: string, recorded: RecordedEvent): Promise<void> {
  const event = upcast({ type: recorded.type, schemaVersion: recorded.metadata?.schemaVersion, data: recorded.data });
  const handler = PROJECTION_HANDLERS[event.type] as (projected: Projected<ConventionEventType>) => Promise<void>;
  await handler({ tx, conventionId, data: event.data as Projected<ConventionEventType>['data'], recorded });
  await recordStreamProgress(tx, conventionId, recorded);
}

/**
 * Applies a batch of events from the global log and moves the checkpoint, in ONE transaction:
 * either the read models and the checkpoint both include the batch, or neither does. Events at
 * or before the stored checkpoint are skipped, so replaying a batch (after a crash between the
 * commit and the caller learning of it, or a duplicate delivery) changes nothing.
 * Returns the checkpoint after the batch.
 */
export async function applyBatch(db: Kysely<ReadModelTables>, events: readonly RecordedEvent[]): Promise<number> {
  if (events.length === 0) return readCheckpoint(db);
  return db.transaction().execute(async (tx) => {
    const checkpointBefore = await readCheckpoint(tx);
    let checkpoint = checkpointBefore;
    const touched = new Map<string, number>();
    let projected = 0;
    for (const recorded of events) {
      if (recorded.position <= checkpoint) continue;
      // Events of other streams (or of a type this version does not know) only move the checkpoint.
      const conventionId = conventionIdOf(recorded.streamId);
      if (conventionId !== undefined && isConventionEventType(recorded.type)) {
        await applyOne(tx, conventionId, recorded);
        touched.set(conventionId, recorded.position);
        projected += 1;
      }
      checkpoint = recorded.position;
    }
    if (projected > 0) await refreshBalancesAndStats(tx, touched, projected);
    if (checkpoint !== checkpointBefore) await writeCheckpoint(tx, checkpoint);
    return checkpoint;
  });
}
