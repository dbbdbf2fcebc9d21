import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import Database from 'better-sqlite3';
import { createReadModelDb, type ReadModelDb } from '@cl/read-models';
import { IdempotencyStore } from './idempotency.store';

/**
 * The idempotency store's writes on SQLite (grouped-writes.ts): those asked for in one turn of the
 * event loop commit in one transaction, and each caller gets the answer it would have got alone.
 * What the commits wrote is read off the WAL file: every commit appends the pages it changed, so
 * ten commits of one row each append at least ten frames, one commit of ten rows a few.
 */
describe('IdempotencyStore on SQLite: writes of one turn committed together', () => {
  let dir: string;
  let db: ReadModelDb;
  let observer: Database.Database;
  let store: IdempotencyStore;
  const now = new Date('2026-01-01T10:00:00.000Z');
  const walFrames = () => {
    const pageSize = observer.pragma('page_size', { simple: true }) as number;
    // A WAL file: a 32-byte header, then frames of a 24-byte header and a page each.
    return (fs.statSync(path.join(dir, 'read-models.sqlite-wal')).size - 32) / (24 + pageSize);
  };
  const framesWrittenDuring = async (work: () => Promise<unknown>) => {
    const before = walFrames();
    await work();
    return walFrames() - before;
  };

  beforeEach(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'grouped-writes-'));
    const file = path.join(dir, 'read-models.sqlite');
    db = createReadModelDb({ kind: 'sqlite', file });
    store = await IdempotencyStore.open(db);
    observer = new Database(file, { readonly: true });
  });
  afterEach(async () => {
    observer.close();
    await db.destroy();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('commits the keys taken in one turn together, and answers each caller as if alone', async () => {
    let answers: unknown[] = [];
    const frames = await framesWrittenDuring(async () => {
      answers = await Promise.all(Array.from({ length: 10 }, (_, index) => store.begin('principal', `key-${index}`, 'fingerprint', now)));
    });
    expect(answers).toEqual(Array.from({ length: 10 }, () => ({ kind: 'started' })));
    expect(frames).toBeLessThan(5);

    expect(await framesWrittenDuring(() => Promise.all(Array.from({ length: 10 }, (_, index) => store.complete('principal', `key-${index}`, 201, { id: index }))))).toBeLessThan(5);
    expect(await Promise.all([store.begin('principal', 'key-3', 'fingerprint', now), store.begin('principal', 'key-4', 'another', now)]))
      .toEqual([{ kind: 'replay', statusCode: 201, body: { id: 3 } }, { kind: 'mismatch' }]);
  });

  it('gives the second of two requests with one key in one turn the answer it gets after the first: in progress', async () => {
    expect(await Promise.all([store.begin('principal', 'same', 'fingerprint', now), store.begin('principal', 'same', 'fingerprint', now)]))
      .toEqual([{ kind: 'started' }, { kind: 'in-progress' }]);
  });

  it('fails every write of a group whose transaction fails, and keeps none of them', async () => {
    // Another connection holds the write lock longer than the store's busy timeout allows.
    const holder = new Database(path.join(dir, 'read-models.sqlite'));
    holder.pragma('busy_timeout = 0');
    holder.exec('BEGIN IMMEDIATE');
    const pending = Promise.allSettled([store.begin('principal', 'a', 'fingerprint', now), store.begin('principal', 'b', 'fingerprint', now)]);
    const outcomes = await pending.finally(() => { holder.exec('ROLLBACK'); holder.close(); });
    expect(outcomes.map((outcome) => outcome.status)).toEqual(['rejected', 'rejected']);
    expect(observer.prepare("SELECT count(*) AS n FROM idempotency_requests WHERE key IN ('a', 'b')").get()).toEqual({ n: 0 });
  }, 20_000);
});
