/**
 * projections:rebuild in a child process, for crash tests. Env: EVENTS_FILE, READ_MODELS_URL,
 * BATCH_SIZE, FREEZE_AT_POSITION=P: once a shadow batch ending at or past P has committed, the
 * next write (inside the next batch's transaction, before its commit) prints "frozen-mid-batch"
 * and blocks, so the parent can kill -9 it mid-rebuild.
 */
import * as fs from 'node:fs';
import { loadConfig } from '@cl/config';
import { SqliteEventStore } from '@cl/event-store';
import { acquireRebuildLock, createReadModelDb, Projector } from '@cl/read-models';
import { FreezeMidBatch, isWrite } from './freeze-mid-batch';

async function main() {
  const config = loadConfig({ READ_MODELS_URL: process.env.READ_MODELS_URL, DATA_DIR: '/nonexistent' });
  const lock = await acquireRebuildLock(config.readModels);
  const store = new SqliteEventStore(process.env.EVENTS_FILE!);
  const freezeAt = Number(process.env.FREEZE_AT_POSITION);
  let armed = false;
  const freeze = new FreezeMidBatch((node) => armed && isWrite(node));
  const db = createReadModelDb(config.readModels);
  const projector = new Projector(store, db.withPlugin(freeze), { batchSize: Number(process.env.BATCH_SIZE || 50), rebuildBatchSize: Number(process.env.BATCH_SIZE || 50) });
  await projector.rebuild((progress) => {
    if (progress.position >= freezeAt) armed = true;
  });
  fs.writeSync(1, 'rebuilt without freezing\n');
  await store.close();
  await db.destroy();
  await lock.release();
}

main().catch((error) => {
  fs.writeSync(2, `${(error as Error).stack}\n`);
  process.exit(1);
});
