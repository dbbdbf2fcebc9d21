import type Database from 'better-sqlite3';
import type { EventRow } from './sqlite-schema';

export interface RecordedRef {
  stream_id: string;
  revision: number;
  position: number;
}

const EVENT_COLUMNS = 'position, event_id, stream_id, revision, type, data, metadata';
const READ_ALL_AFTER = `SELECT ${EVENT_COLUMNS} FROM events WHERE position > ? ORDER BY position ASC LIMIT ?`;

/** An EventRow as an array of its values, in EVENT_COLUMNS' order. */
export type EventRowValues = [position: number, eventId: string, streamId: string, revision: number, type: string, data: string, metadata: string];

/** Prepared once per connection: better-sqlite3 statements are reusable and synchronous. */
export function prepareEventStatements(db: Database.Database) {
  return {
    insert: db.prepare<[string, string, number, string, string, string]>(
      'INSERT INTO events (event_id, stream_id, revision, type, data, metadata) VALUES (?, ?, ?, ?, ?, ?)',
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
    readAllAfter: db.prepare<[number, number], EventRow>(READ_ALL_AFTER),
    /** The same rows as arrays, in EVENT_COLUMNS' order (for the log read whole: no object per row). */
    readAllAfterAsValues: db.prepare<[number, number], EventRowValues>(READ_ALL_AFTER).raw(true),
    headPosition: db.prepare<[], { head: number }>('SELECT COALESCE(MAX(position), 0) AS head FROM events'),
    ping: db.prepare<[], { ok: number }>('SELECT 1 AS ok'),
    writeProbe: db.prepare<[number]>('INSERT INTO write_probe (payload) VALUES (zeroblob(?))'),
    clearWriteProbe: db.prepare<[]>('DELETE FROM write_probe'),
  };
}

export type EventStatements = ReturnType<typeof prepareEventStatements>;
