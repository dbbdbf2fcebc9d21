import {
  CompiledQuery, Kysely, PostgresIntrospector, PostgresQueryCompiler, SqliteIntrospector, SqliteQueryCompiler,
  type DatabaseConnection, type Driver,
} from 'kysely';
import { dialectOf, type ReadModelDb } from '../database/create-read-model-db';
import type { ReadModelTables } from '../database/read-model-tables';
import type { ProjectableEvent } from '@cl/event-store';
import { applyBatch } from '../projections/apply-batch';
import { sameDatabaseAs } from '../projections/per-database';

/**
 * A driver over one connection already inside a transaction: what the code run on it calls a
 * transaction is a savepoint, so applyBatch (which opens its own transaction per batch) runs
 * unchanged inside the caller's transaction, and still undoes a failed batch alone.
 */
class HeldConnectionDriver implements Driver {
  private depth = 0;

  constructor(private readonly connection: DatabaseConnection) {}

  async init(): Promise<void> {}
  async acquireConnection(): Promise<DatabaseConnection> {
    return this.connection;
  }
  async beginTransaction(connection: DatabaseConnection): Promise<void> {
    this.depth += 1;
    await connection.executeQuery(CompiledQuery.raw(`savepoint held_${this.depth}`));
  }
  async commitTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw(`release savepoint held_${this.depth}`));
    this.depth -= 1;
  }
  async rollbackTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw(`rollback to savepoint held_${this.depth}`));
    await connection.executeQuery(CompiledQuery.raw(`release savepoint held_${this.depth}`));
    this.depth -= 1;
  }
  async releaseConnection(): Promise<void> {}
  async destroy(): Promise<void> {}
}

/**
 * Runs `work` in ONE transaction on one connection of `db` and commits it, or rolls everything
 * back if `work` throws. On SQLite it begins IMMEDIATE: it holds the database's write lock from
 * its first statement, so no other writer (the live projector of another process) commits in
 * between; readers go on reading the last committed state (WAL). On PostgreSQL it is a plain
 * transaction: `work` takes the locks it needs.
 */
export async function inWriteLockedTransaction<T>(db: ReadModelDb, work: (locked: ReadModelDb) => Promise<T>): Promise<T> {
  const postgres = dialectOf(db) === 'postgres';
  return db.getExecutor().provideConnection(async (connection) => {
    await connection.executeQuery(CompiledQuery.raw(postgres ? 'begin' : 'begin immediate'));
    const locked = new Kysely<ReadModelTables>({
      // The caller's plugins (the shadow tables' renaming, a test's hooks) apply inside too.
      plugins: [...db.getExecutor().plugins],
      dialect: {
        createAdapter: () => db.getExecutor().adapter,
        createDriver: () => new HeldConnectionDriver(connection),
        createIntrospector: (kysely) => (postgres ? new PostgresIntrospector(kysely) : new SqliteIntrospector(kysely)),
        createQueryCompiler: () => (postgres ? new PostgresQueryCompiler() : new SqliteQueryCompiler()),
      },
    });
    // Same tables, same plugins: the projector's caches of `db` serve batches run on `locked`.
    sameDatabaseAs(locked, db);
    try {
      const result = await work(locked);
      await connection.executeQuery(CompiledQuery.raw('commit'));
      return result;
    } catch (error) {
      // SQLite rolls back by itself on some errors (SQLITE_FULL, SQLITE_IOERR), and kysely's
      // SQLite connection throws before returning a promise: the first error is the one to report.
      try {
        await connection.executeQuery(CompiledQuery.raw('rollback'));
      } catch {
        // nothing left to roll back
      }
      throw error;
    } finally {
      await locked.destroy();
    }
  });
}

/**
 * Another transaction holds what this one needs: SQLite's write lock (SQLITE_BUSY), or a
 * PostgreSQL lock not granted within lock_timeout (55P03) or a deadlock broken by the server
 * (40P01). Trying again shortly after succeeds; it is not a failure of the read models.
 */
export function isLockContention(error: unknown): boolean {
  const code = String((error as { code?: unknown })?.code ?? '');
  return code.startsWith('SQLITE_BUSY') || code === '55P03' || code === '40P01';
}

/**
 * applyBatch, and on SQLite inside a transaction that takes the write lock first. Two processes
 * write the read-model file while a rebuild runs (the live projector, the rebuild's shadow
 * batches): a deferred transaction that read before the other one committed could not write any
 * more (SQLITE_BUSY_SNAPSHOT, no waiting); one that begins IMMEDIATE waits its turn
 * (busy_timeout) instead. PostgreSQL needs nothing of the kind.
 */
export function applyBatchUnderWriteLock(db: ReadModelDb, batch: readonly ProjectableEvent[]): Promise<number> {
  if (batch.length === 0 || dialectOf(db) === 'postgres') return applyBatch(db, batch);
  return inWriteLockedTransaction(db, (locked) => applyBatch(locked, batch));
}
