import type Database from 'better-sqlite3';
import type { EventRow } from './sqlite-schema';

export interface RecordedRef {
  stream_id: string;
  revision: number;
  position: number;
}

const EVENT_COLUMNS = 'position, event_id, stream_id, revision, type, data, metadata';
/**
 * What projections read of an event: the metadata's two fields from their columns, the metadata
 * itself only when they were not copied (sqlite-schema.ts, PROJECTION_COLUMNS).
 */
const PROJECTABLE_COLUMNS = 'position, event_id, stream_id, revision, type, data, recorded_at, schema_version, CASE WHEN recorded_at IS NULL THEN metadata END';
const readAfter = (columns: string) => `SELECT ${columns} FROM events WHERE position > ? ORDER BY position ASC LIMIT ?`;

/** A row of PROJECTABLE_COLUMNS, as an array of its values. */
export type ProjectableRowValues = [
  position: number, eventId: string, streamId: string, revision: number, type: string, data: string,
  recordedAt: string | null, schemaVersion: number | null, metadata: string | null,
];

/** Prepared once per connection: better-sqlite3 statements are reusable and synchronous. */
export function prepareEventStatements(db: Database.Database) {
  return {
    insert: db.prepare<[string, string, number, string, string, string, string | null, number | null]>(
      'INSERT INTO events (event_id, stream_id, revision, type, data, metadata, recorded_at, schema_version) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
    ),
    lastOfStream: db.prepare<[string], { revision: number; position: number; hash: string | null }>(
      "SELECT revision, position, json_extract(metadata, '$.hash') AS hash FROM events WHERE stream_id = ? ORDER BY revision DESC LIMIT 1",
    ),
    findByEventId: db.prepare<[string], RecordedRef>('SELECT stream_id, revision, position FROM events WHERE event_id = ?'),
    readStreamForwards: db.prepare<[string, number, number], EventRow>(
      `SELECT ${EVENT_COLUMNS} FROM events WHERE stream_id = ? AND revision >= ? ORDER BY revision ASC LIMIT ?`,
    ),
    readStreamBackwards: db.prepare<[string, number, number], EventRow>(
      `SELECT ${EVENT_COLUMNS} FROM events WHERE stream_id = ? AND revision <= ? ORDER BY revision DESC LIMIT ?`,
    ),
    readAllAfter: db.prepare<[number, number], EventRow>(readAfter(EVENT_COLUMNS)),
    /** The same events as projections read them, rows as arrays (for the log read whole: no object per row). */
    readProjectableAfter: db.prepare<[number, number], ProjectableRowValues>(readAfter(PROJECTABLE_COLUMNS)).raw(true),
    headPosition: db.prepare<[], { head: number }>('SELECT COALESCE(MAX(position), 0) AS head FROM events'),
    ping: db.prepare<[], { ok: number }>('SELECT 1 AS ok'),
    writeProbe: db.prepare<[number]>('INSERT INTO write_probe (payload) VALUES (zeroblob(?))'),
    clearWriteProbe: db.prepare<[]>('DELETE FROM write_probe'),
  };
}

export type EventStatements = ReturnType<typeof prepareEventStatements>;
