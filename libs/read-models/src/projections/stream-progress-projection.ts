import type { RecordedEvent } from '@cl/event-store';
import type { ReadModelTx } from './projection-context';

/**
 * The last event of the convention the read models include: where its history, read from the
 * event store, is cut (queries/event-history.ts), and the position a summary shows.
 */
export async function recordStreamProgress(tx: ReadModelTx, conventionId: string, recorded: RecordedEvent): Promise<void> {
  await tx.updateTable('rm_conventions')
    .set({ last_revision: recorded.revision, last_position: recorded.position })
    .where('convention_id', '=', conventionId).execute();
}
