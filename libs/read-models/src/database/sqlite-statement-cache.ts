import type { SqliteDatabase, SqliteStatement } from 'kysely';

/** Distinct SQL texts kept prepared: every statement the read side runs, with room to spare. */
const CACHED_STATEMENTS = 500;

/**
 * better-sqlite3 behind Kysely, preparing each SQL text once: Kysely's SQLite driver prepares
 * every query anew, which costs more than running it for the projector's small and repeated
 * statements. A prepared statement is reused only for the same text, and SQLite re-prepares it by
 * itself after a schema change. Kysely runs one query at a time on the connection (a stream
 * holds it to the end), so a statement is never in use twice at once.
 */
export function withStatementCache(database: SqliteDatabase): SqliteDatabase {
  const statements = new Map<string, SqliteStatement>();
  return {
    close: () => {
      statements.clear();
      database.close();
    },
    prepare(sql: string): SqliteStatement {
      let statement = statements.get(sql);
      if (statement) {
        statements.delete(sql);
      } else {
        statement = database.prepare(sql);
        if (statements.size >= CACHED_STATEMENTS) statements.delete(statements.keys().next().value!);
      }
      // Most recently used last: the first key is the one to drop.
      statements.set(sql, statement);
      return statement;
    },
  };
}
