import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';

/**
 * 2: the columns recorded_at and schema_version (PROJECTION_COLUMNS). A file of version 1 gets
 * them on its next open; its rows keep them NULL. Code of version 1 still reads and writes such a
 * file: its rows leave the columns NULL, which readers take as "decode the metadata".
 */
export const SCHEMA_VERSION = 2;

/**
 * Two fields of the metadata copied into their own columns when the event is appended: what
 * projections read of the metadata (its schema version, for upcasting, and recordedAt), so that
 * reading the log for them does not create and search the metadata's text, six tenths of an
 * event's bytes (docs/performance.md, "The tenth stop"). The metadata stays
 * the fact (the hash chain covers it); the copy is checked against it on every insert, so the
 * two cannot differ. recorded_at NULL: not copied (a row of schema version 1, or metadata whose
 * fields are not plain: see projectionColumnsOf), and readers decode the metadata instead.
 * Declared after the original columns, so that a file given them by ALTER TABLE has the same layout.
 */
const PROJECTION_COLUMNS: ReadonlyArray<{ name: string; definition: string }> = [
  { name: 'schema_version', definition: 'INTEGER' },
  // Its CHECK names schema_version: added after it.
  { name: 'recorded_at', definition: `TEXT CHECK (recorded_at IS NULL OR (recorded_at IS json_extract(metadata, '$.recordedAt')
    AND schema_version IS json_extract(metadata, '$.schemaVersion')))` },
];
const columnDdl = (column: { name: string; definition: string }) => `${column.name} ${column.definition}`;

/**
 * `position` is an AUTOINCREMENT rowid: SQLite then never hands out a position again, even after
 * the last row is deleted or a transaction rolls back, so a reader's checkpoint can never point
 * at a position that later means another event. Commits are serialised by SQLite's single
 * writer lock, so positions become visible in increasing order: a reader never sees N+1 before N.
 */
const SCHEMA = `
CREATE TABLE IF NOT EXISTS events (
  position  INTEGER PRIMARY KEY AUTOINCREMENT,
  event_id  TEXT    NOT NULL UNIQUE,
  stream_id TEXT    NOT NULL,
  revision  INTEGER NOT NULL CHECK (revision >= 0),
  type      TEXT    NOT NULL,
  data      TEXT    NOT NULL CHECK (json_valid(data)),
  metadata  TEXT    NOT NULL CHECK (json_valid(metadata)),
  ${PROJECTION_COLUMNS.map(columnDdl).join(',\n  ')},
  UNIQUE (stream_id, revision)
);
-- A ledger: a recorded fact is corrected by a new fact, never by rewriting history.
CREATE TRIGGER IF NOT EXISTS events_are_never_updated BEFORE UPDATE ON events
  BEGIN SELECT RAISE(ABORT, 'events are append-only'); END;
CREATE TRIGGER IF NOT EXISTS events_are_never_deleted BEFORE DELETE ON events
  BEGIN SELECT RAISE(ABORT, 'events are append-only'); END;
-- Always empty: after a failed write, readiness writes and deletes a row here to learn whether
-- the store can write again (SqliteEventStore.isReady). Added without a schema version bump:
-- older files get it on their next open, and nothing reads it.
CREATE TABLE IF NOT EXISTS write_probe (payload BLOB NOT NULL);
`;

export interface EventRow {
  position: number;
  event_id: string;
  stream_id: string;
  revision: number;
  type: string;
  data: string;
  metadata: string;
}

/**
 * The projection columns' values for an event's metadata: its recordedAt and schema version when
 * they are plain (a string; a safe integer or absent), else both NULL, and readers decode the
 * metadata (a schema version given as text, say, would come back from an INTEGER column as a number).
 */
export function projectionColumnsOf(metadata: { recordedAt?: unknown; schemaVersion?: unknown }): [recordedAt: string | null, schemaVersion: number | null] {
  const { recordedAt, schemaVersion } = metadata;
  if (typeof recordedAt !== 'string' || (schemaVersion !== undefined && !Number.isSafeInteger(schemaVersion))) return [null, null];
  return [recordedAt, (schemaVersion as number | undefined) ?? null];
}

export function isInMemory(filename: string): boolean {
  return filename === ':memory:' || filename === '';
}

export function openEventDatabase(filename: string, busyTimeoutMs: number): Database.Database {
  if (!isInMemory(filename)) mkdirSync(dirname(filename), { recursive: true });
  // `timeout` is better-sqlite3's busy_timeout: how long a connection waits for another
  // process's lock (the projector reading while the API writes, or two writers) before SQLITE_BUSY.
  const db = new Database(filename, { timeout: busyTimeoutMs });
  try {
    configureDurability(db, filename);
    db.transaction(() => {
      db.exec(SCHEMA);
      addProjectionColumns(db);
      db.pragma(`user_version = ${SCHEMA_VERSION}`);
    }).immediate();
    return db;
  } catch (error) {
    db.close();
    throw error;
  }
}

/**
 * A file of schema version 1 gets the projection columns (ADD COLUMN does not rewrite the rows;
 * SQLite checks the new CHECK against each of them once, all NULL). In the open's IMMEDIATE
 * transaction, so that two processes opening the file at once add them once.
 */
function addProjectionColumns(db: Database.Database): void {
  const existing = new Set((db.pragma('table_info(events)') as Array<{ name: string }>).map((column) => column.name));
  for (const column of PROJECTION_COLUMNS) {
    if (!existing.has(column.name)) db.exec(`ALTER TABLE events ADD COLUMN ${columnDdl(column)}`);
  }
}

/**
 * WAL lets readers (subscriptions, the projector process) read while a writer appends, and
 * commits by appending to the -wal file. In WAL mode `synchronous = NORMAL` only fsyncs at
 * checkpoints, so the last commits can be lost on power loss or an OS crash even though they
 * were acknowledged; `FULL` fsyncs the WAL on every commit, so an acknowledged append is on disk.
 * A plain process kill (kill -9) loses nothing in either mode: committed pages are in the OS
 * cache and the WAL is replayed on the next open. `synchronous` is per connection, hence set
 * on every open, in every process.
 */
function configureDurability(db: Database.Database, filename: string): void {
  if (!isInMemory(filename)) {
    const mode = db.pragma('journal_mode = WAL', { simple: true });
    if (mode !== 'wal') throw new Error(`${filename}: could not enable WAL journal mode (got ${String(mode)})`);
  }
  db.pragma('synchronous = FULL');
}
