/**
 * A projector in a child process, for crash tests. Env: EVENTS_FILE, READ_MODELS_URL,
 * BATCH_SIZE, and optionally FREEZE_AT_CHECKPOINT_WRITE=N: while writing the checkpoint of the
 * N-th batch (the batch's rows written, inside its transaction, before its commit) it prints
 * "frozen-mid-batch" and blocks, so the parent can kill -9 it at a known point. Without it, it
 * catches up, prints "caught-up <position>", exits.
 */
import * as fs from 'node:fs';
import { loadConfig } from '@cl/config';
import { SqliteEventStore } from '@cl/event-store';
import { acquireSingleInstanceLock, createReadModelDb, createReadModelSchema, Projector } from '@cl/read-models';
import { FreezeMidBatch, isCheckpointWrite } from './freeze-mid-batch';

async function main() {
  const config = loadConfig({ READ_MODELS_URL: process.env.READ_MODELS_URL, DATA_DIR: '/nonexistent' });
  const lock = await acquireSingleInstanceLock(config.readModels);
  const store = new SqliteEventStore(process.env.EVENTS_FILE!);
  const freezeAt = Number(process.env.FREEZE_AT_CHECKPOINT_WRITE || 0);
  const baseDb = createReadModelDb(config.readModels);
  let checkpointWrites = 0;
  const freeze = new FreezeMidBatch((node) => isCheckpointWrite(node) && ++checkpointWrites === freezeAt);
  const db = freezeAt > 0 ? baseDb.withPlugin(freeze) : baseDb;
  const projector = new Projector(store, db, { batchSize: Number(process.env.BATCH_SIZE || 50) });
  await createReadModelSchema(baseDb);
  const position = await projector.catchUp();
  await store.close();
  await baseDb.destroy();
  await lock.release();
  fs.writeSync(1, `caught-up ${position}\n`);
}

main().catch((error) => {
  fs.writeSync(2, `${(error as Error).stack}\n`);
  process.exit(1);
});
