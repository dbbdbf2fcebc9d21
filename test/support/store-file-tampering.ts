import Database from 'better-sqlite3';
import { eventHashOf, GENESIS_HASH, type EventMetadata } from '@cl/event-store';

/**
 * What an attacker with the embedded store's file can do (docs/audit.md, "Tamper evidence"):
 * drop the append-only triggers and rewrite rows. For tests only: the store must be closed.
 */
export class StoreFileTampering {
  private readonly db: Database.Database;

  constructor(file: string) {
    this.db = new Database(file);
    this.db.exec('DROP TRIGGER IF EXISTS events_are_never_updated; DROP TRIGGER IF EXISTS events_are_never_deleted;');
  }

  row(streamId: string, revision: number): { position: number; event_id: string; type: string; data: string; metadata: string } {
    const row = this.db.prepare('SELECT position, event_id, type, data, metadata FROM events WHERE stream_id = ? AND revision = ?')
      .get(streamId, revision) as { position: number; event_id: string; type: string; data: string; metadata: string } | undefined;
    if (!row) throw new Error(`no event at ${streamId}@${revision}`);
    return row;
  }

  /** Where the events of a type are, in log order. */
  find(type: string): Array<{ streamId: string; revision: number; position: number }> {
    return this.db.prepare('SELECT stream_id AS streamId, revision, position FROM events WHERE type = ? ORDER BY position').all(type) as Array<{ streamId: string; revision: number; position: number }>;
  }

  /** Sets a member of the event's data (a JSON path such as '$.amount'), leaving its hash as it was. */
  editData(streamId: string, revision: number, path: string, value: string | number): void {
    this.db.prepare('UPDATE events SET data = json_set(data, ?, ?) WHERE stream_id = ? AND revision = ?').run(path, value, streamId, revision);
  }

  /** Deletes an event; with `renumber`, the later ones move down to close the gap. */
  delete(streamId: string, revision: number, { renumber = false } = {}): void {
    this.db.prepare('DELETE FROM events WHERE stream_id = ? AND revision = ?').run(streamId, revision);
    if (renumber) this.shift(streamId, revision + 1, -1);
  }

  /** Inserts a forged event at `revision` (the later ones move up), hashed and linked as the store would. */
  insertForged(streamId: string, revision: number, type: string, data: Record<string, unknown>): void {
    const before = this.metadataAt(streamId, revision - 1);
    this.shift(streamId, revision, +1);
    const id = `forged-${revision}`;
    const metadata = { ...before, previousHash: before.hash ?? GENESIS_HASH } as EventMetadata;
    delete metadata.hash;
    metadata.hash = eventHashOf({ id, type, data, metadata });
    this.db.prepare('INSERT INTO events (event_id, stream_id, revision, type, data, metadata) VALUES (?, ?, ?, ?, ?, ?)')
      .run(id, streamId, revision, type, JSON.stringify(data), JSON.stringify(metadata));
  }

  /** Exchanges the revisions of two events of a stream. */
  swap(streamId: string, revision: number, other: number): void {
    const update = this.db.prepare('UPDATE events SET revision = ? WHERE stream_id = ? AND revision = ?');
    update.run(1_000_000, streamId, revision);
    update.run(revision, streamId, other);
    update.run(other, streamId, 1_000_000);
  }

  /** The attacker's best move: recompute every hash of the stream from `fromRevision`, so that the chain links up again. */
  rehash(streamId: string, fromRevision: number): void {
    const rows = this.db.prepare('SELECT event_id, revision, type, data, metadata FROM events WHERE stream_id = ? AND revision >= ? ORDER BY revision')
      .all(streamId, fromRevision) as Array<{ event_id: string; revision: number; type: string; data: string; metadata: string }>;
    let link = fromRevision === 0 ? GENESIS_HASH : this.metadataAt(streamId, fromRevision - 1).hash!;
    for (const row of rows) {
      const metadata = { ...(JSON.parse(row.metadata) as EventMetadata), previousHash: link };
      delete metadata.hash;
      link = eventHashOf({ id: row.event_id, type: row.type, data: JSON.parse(row.data) as Record<string, unknown>, metadata });
      this.db.prepare('UPDATE events SET metadata = ? WHERE stream_id = ? AND revision = ?').run(JSON.stringify({ ...metadata, hash: link }), streamId, row.revision);
    }
  }

  close(): void {
    this.db.close();
  }

  private metadataAt(streamId: string, revision: number): EventMetadata {
    return JSON.parse(this.row(streamId, revision).metadata) as EventMetadata;
  }

  private shift(streamId: string, fromRevision: number, by: number): void {
    // Two steps, so that UNIQUE (stream_id, revision) never sees two rows on one revision.
    this.db.prepare('UPDATE events SET revision = revision + 1000000 WHERE stream_id = ? AND revision >= ?').run(streamId, fromRevision);
    this.db.prepare('UPDATE events SET revision = revision - 1000000 + ? WHERE stream_id = ? AND revision >= 1000000').run(by, streamId);
  }
}
