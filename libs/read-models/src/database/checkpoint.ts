import type { Kysely, Transaction } from 'kysely';
import type { ReadModelTables } from './read-model-tables';

/** The one projection this library maintains: all read-model tables move together. */
export const READ_MODELS_PROJECTION = 'read-models';

/** Last global position the read models include, as committed (0 before the first batch). */
export async function readCheckpoint(db: Kysely<ReadModelTables>): Promise<number> {
  const row = await db.selectFrom('projection_checkpoints').select('position')
    .where('projection', '=', READ_MODELS_PROJECTION).executeTakeFirst();
  return row ? Number(row.position) : 0;
}

/** Moves the checkpoint, inside the transaction that applies the batch it closes. */
export async function writeCheckpoint(tx: Transaction<ReadModelTables>, position: number): Promise<void> {
  const values = { projection: READ_MODELS_PROJECTION, position, updated_at: new Date().toISOString() };
  await tx.insertInto('projection_checkpoints').values(values)
    .onConflict((conflict) => conflict.column('projection').doUpdateSet({ position: values.position, updated_at: values.updated_at }))
    .execute();
}
