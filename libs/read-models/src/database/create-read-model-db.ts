import * as fs from 'node:fs';
import * as path from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { Kysely, PostgresAdapter, PostgresDialect, SqliteDialect } from 'kysely';
import { Pool, types as pgTypes } from 'pg';
import type { AppConfig } from '@cl/config';
import type { ReadModelTables } from './read-model-tables';
import { withStatementCache } from './sqlite-statement-cache';

export type ReadModelDb = Kysely<ReadModelTables>;
export type ReadModelsConfig = AppConfig['readModels'];
export type ReadModelDialect = 'sqlite' | 'postgres';

const INT8_OID = 20;

export function createReadModelDb(config: ReadModelsConfig): ReadModelDb {
  if (config.kind === 'postgres') {
    const pool = new Pool({
      connectionString: config.url,
      // Positions are BIGINT; pg hands them back as strings by default. They stay far below
      // 2^53 (a log offset in bytes), so a number is exact and matches what SQLite returns.
      // Scoped to this pool, so other pg users in the process keep the default parser.
      types: {
        getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
          oid === INT8_OID ? (value: string) => Number(value) : pgTypes.getTypeParser(oid, format as 'text')) as typeof pgTypes.getTypeParser,
      },
    });
    // An idle connection that the server ends (restart, failover, admin command) is reported on
    // the pool; without a listener Node would treat it as an unhandled error and exit. The pool
    // drops that connection and opens a new one on the next query.
    pool.on('error', (error) => console.warn(`read models: idle PostgreSQL connection lost: ${error.message}`));
    return new Kysely<ReadModelTables>({ dialect: new PostgresDialect({ pool }) });
  }
  if (config.file !== ':memory:') fs.mkdirSync(path.dirname(config.file), { recursive: true });
  let database: BetterSqlite3.Database;
  try {
    database = openSqliteReadModels(config.file);
  } catch (error) {
    if (config.file === ':memory:' || !isCorruptDatabase(error)) throw error;
    // Read models are derived: a file that cannot be read is moved aside (kept for a post-mortem,
    // never deleted) and rebuilt from the event log by the projector, which finds no checkpoint.
    const aside = moveAside(config.file);
    console.warn(`read models: ${config.file} cannot be read (${(error as Error).message}); moved aside to ${aside}; they will be rebuilt from the event log`);
    database = openSqliteReadModels(config.file);
  }
  return new Kysely<ReadModelTables>({ dialect: new SqliteDialect({ database: withStatementCache(database) }) });
}

function openSqliteReadModels(file: string): BetterSqlite3.Database {
  const database = new BetterSqlite3(file);
  try {
    // WAL lets the API read while the projector writes; busy_timeout makes a second writer wait
    // instead of failing at once. Both read the file's header: a corrupt file fails here.
    database.pragma('journal_mode = WAL');
    database.pragma('busy_timeout = 5000');
    const check = database.pragma('quick_check', { simple: true });
    if (check !== 'ok') throw Object.assign(new Error(`quick_check: ${String(check)}`), { code: 'SQLITE_CORRUPT' });
    return database;
  } catch (error) {
    database.close();
    throw error;
  }
}

const isCorruptDatabase = (error: unknown): boolean =>
  ['SQLITE_NOTADB', 'SQLITE_CORRUPT'].includes(String((error as { code?: unknown })?.code));

/** Renames the file and its WAL companions to `<file>.corrupt-<instant>`; returns the new name. */
function moveAside(file: string): string {
  const aside = `${file}.corrupt-${new Date().toISOString().replace(/[:.]/g, '-')}`;
  for (const suffix of ['', '-wal', '-shm']) {
    if (fs.existsSync(file + suffix)) fs.renameSync(file + suffix, aside + suffix);
  }
  return aside;
}

export function dialectOf<DB>(db: Kysely<DB>): ReadModelDialect {
  return db.getExecutor().adapter instanceof PostgresAdapter ? 'postgres' : 'sqlite';
}
