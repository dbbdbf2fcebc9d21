import type { CompiledQuery, Kysely, QueryResult } from 'kysely';
import { dialectOf, inWriteLockedTransaction, type ReadModelDb } from '@cl/read-models';

/** Runs one write of the idempotency store and resolves once it is committed. */
export type WriteRunner = <R>(query: CompiledQuery<R>) => Promise<QueryResult<R>>;

interface PendingWrite {
  query: CompiledQuery<unknown>;
  resolve: (result: QueryResult<unknown>) => void;
  reject: (error: unknown) => void;
}

/**
 * On SQLite, the idempotency writes asked for during one turn of the event loop are committed
 * together, in one transaction at the next turn, in the order they were asked for; each promise
 * resolves with its own result once that transaction has committed, so a caller goes on exactly
 * as after a write of its own. Each command writes two rows (its key taken, then its answer), and
 * an autocommit costs SQLite a WAL append, its locks and its index more than the row itself:
 * about 100 µs per command alone, a third of that in groups of ten (docs/performance.md, "The
 * eleventh stop"). These writes cannot be refused one by one (an insert that ignores a taken key,
 * updates and deletes by key): what fails is the storage, and then every write of the group fails
 * and none is kept, as each would have alone.
 *
 * On PostgreSQL each write runs at once: the pool runs them side by side.
 */
export function groupedWrites(db: Kysely<unknown>): WriteRunner {
  if (dialectOf(db) === 'postgres') return (query) => db.executeQuery(query);
  let pending: PendingWrite[] = [];
  const commit = async () => {
    const group = pending;
    pending = [];
    try {
      const results = await inWriteLockedTransaction(db as unknown as ReadModelDb, async (locked) => {
        const done: Array<QueryResult<unknown>> = [];
        for (const write of group) done.push(await locked.executeQuery(write.query));
        return done;
      });
      group.forEach((write, index) => write.resolve(results[index]));
    } catch (error) {
      for (const write of group) write.reject(error);
    }
  };
  return <R>(query: CompiledQuery<R>) => new Promise<QueryResult<R>>((resolve, reject) => {
    pending.push({ query, resolve: resolve as PendingWrite['resolve'], reject });
    if (pending.length === 1) setImmediate(() => void commit());
  });
}
