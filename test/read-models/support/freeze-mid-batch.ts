import * as fs from 'node:fs';
import type { KyselyPlugin, PluginTransformQueryArgs, PluginTransformResultArgs, QueryResult, RootOperationNode, UnknownRow } from 'kysely';

/** What a child process prints once frozen: the parent then kills it with SIGKILL. */
export const FROZEN_MID_BATCH = 'frozen-mid-batch';

const WRITES = new Set(['InsertQueryNode', 'UpdateQueryNode', 'DeleteQueryNode']);

export const isWrite = (node: RootOperationNode): boolean => WRITES.has(node.kind);

export const isCheckpointWrite = (node: RootOperationNode): boolean =>
  node.kind === 'InsertQueryNode' && node.into?.table.identifier.name === 'projection_checkpoints';

/**
 * For crash tests in child processes: at the first statement `freezesAt` picks, inside a batch's
 * transaction and before its commit, prints FROZEN_MID_BATCH and blocks the whole process with
 * the transaction open, so the parent can kill -9 it at a known point. Plugins see a statement
 * when Kysely compiles it: a statement compiled once and run again (batch-writes.ts's templates)
 * is seen once, the checkpoint's write every batch.
 */
export class FreezeMidBatch implements KyselyPlugin {
  constructor(private readonly freezesAt: (node: RootOperationNode) => boolean) {}

  transformQuery({ node }: PluginTransformQueryArgs): RootOperationNode {
    if (this.freezesAt(node)) {
      fs.writeSync(1, `${FROZEN_MID_BATCH}\n`);
      // Until the parent kills it (60 s at most, then the statement goes on).
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 60_000);
    }
    return node;
  }

  async transformResult({ result }: PluginTransformResultArgs): Promise<QueryResult<UnknownRow>> {
    return result;
  }
}
