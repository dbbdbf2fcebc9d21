import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { createReadModelDb, type ReadModelDb } from './create-read-model-db';

describe('createReadModelDb on SQLite', () => {
  const workDir = mkdtempSync(join(tmpdir(), 'cl-read-model-db-'));
  let db: ReadModelDb;

  beforeEach(() => {
    db = createReadModelDb({ kind: 'sqlite', file: join(workDir, `${randomUUID()}.sqlite`) });
  });
  afterEach(() => db.destroy());
  afterAll(() => rmSync(workDir, { recursive: true, force: true }));

  it('commits without fsync (WAL, synchronous NORMAL) from the process that creates the file', async () => {
    const pragma = async (name: string) => Object.values((await sql<Record<string, unknown>>`${sql.raw(`pragma ${name}`)}`.execute(db)).rows[0])[0];
    expect(await pragma('journal_mode')).toBe('wal');
    expect(await pragma('synchronous')).toBe(1); // 1 = NORMAL; SQLite's default there is FULL (2)
  });

  it('runs a query again on the statement it kept: with other values, and after its table was dropped and created again', async () => {
    const labelOf = async (id: number) => (await sql<{ label: string }>`select label from items where id = ${id}`.execute(db)).rows[0]?.label;
    const insert = (id: number, label: string) => sql`insert into items (id, label) values (${id}, ${label})`.execute(db);
    await sql`create table items (id integer primary key, label text)`.execute(db);
    await insert(1, 'one');
    await insert(2, 'two');
    expect([await labelOf(1), await labelOf(2), await labelOf(3)]).toEqual(['one', 'two', undefined]);

    // As a rebuild does: the kept statements are planned again against the new table.
    await sql`drop table items`.execute(db);
    await sql`create table items (label text, extra text, id integer primary key)`.execute(db);
    await insert(1, 'uno');
    expect([await labelOf(1), await labelOf(2)]).toEqual(['uno', undefined]);
  });
});
