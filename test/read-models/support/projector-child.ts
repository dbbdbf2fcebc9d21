/**
 * A projector in a child process, for crash tests. Env: EVENTS_FILE, READ_MODELS_URL,
 * BATCH_SIZE, and optionally FREEZE_AT_CHECKPOINT_WRITE=N: while writing the checkpoint of the
 * N-th batch (the batch's rows written, inside its transaction, before its commit) it prints
 * "frozen-mid-batch" and blocks, so the parent can kill -9 it at a known point. Without it, it
 * catches up, prints "caught-up <position>", exits.
 */
import * as fs from 'node:fs';
import type { KyselyPlugin, PluginTransformQueryArgs, PluginTransformResultArgs, QueryResult, RootOperationNode, UnknownRow } from 'kysely';
import { loadConfig } from '@cl/config';
import { SqliteEventStore } from '@cl/event-store';
import { acquireSingleInstanceLock, createReadModelDb, createReadModelSchema, Projector } from '@cl/read-models';

class FreezeMidBatch implements KyselyPlugin {
  private checkpointWrites = 0;
  constructor(private readonly freezeAt: number) {}

  transformQuery({ node }: PluginTransformQueryArgs): RootOperationNode {
    if (node.kind === 'InsertQueryNode' && node.into?.table.identifier.name === 'projection_checkpoints') {
      this.checkpointWrites += 1;
      if (this.checkpointWrites === this.freezeAt) {
        fs.writeSync(1, 'frozen-mid-batch\n');
        // Blocks the whole process with the transaction open, until the parent kills it.
        Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 60_000);
      }
    }
    return node;
  }

  async transformResult({ result }: PluginTransformResultArgs): Promise<QueryResult<UnknownRow>> {
    return result;
  }
}

async function main() {
  const config = loadConfig({ READ_MODELS_URL: process.env.READ_MODELS_URL, DATA_DIR: '/nonexistent' });
  const lock = await acquireSingleInstanceLock(config.readModels);
  const store = new SqliteEventStore(process.env.EVENTS_FILE!);
  const freezeAt = Number(process.env.FREEZE_AT_CHECKPOINT_WRITE || 0);
  const baseDb = createReadModelDb(config.readModels);
  const db = freezeAt > 0 ? baseDb.withPlugin(new FreezeMidBatch(freezeAt)) : baseDb;
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
