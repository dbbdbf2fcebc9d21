import { DummyDriver, Kysely, SqliteAdapter, SqliteIntrospector, SqliteQueryCompiler } from 'kysely';
import { precompiled } from './precompiled-query';

interface Tables {
  items: { id: string; label: string | null; size: number };
}

/** Compiles only: kysely's documented set-up for building SQL without a database. */
const db = new Kysely<Tables>({
  dialect: {
    createAdapter: () => new SqliteAdapter(),
    createDriver: () => new DummyDriver(),
    createIntrospector: (kysely) => new SqliteIntrospector(kysely),
    createQueryCompiler: () => new SqliteQueryCompiler(),
  },
});

describe('precompiled', () => {
  it('binds the values of each run where the placeholders were, and keeps the constants kysely bound', () => {
    const update = precompiled(['id', 'size'], (p) => db.updateTable('items').set({ label: null, size: p.size as unknown as number }).where('id', '=', p.id));

    const first = update({ id: 'a', size: 3 });
    const second = update({ id: 'b', size: 7 });

    expect(first.sql).toBe(db.updateTable('items').set({ label: null, size: 3 }).where('id', '=', 'a').compile().sql);
    expect(first.parameters).toEqual(db.updateTable('items').set({ label: null, size: 3 }).where('id', '=', 'a').compile().parameters);
    expect(second.parameters).toEqual([null, 7, 'b']);
  });

  it('refuses a name the query does not use', () => {
    expect(() => precompiled(['id', 'size'], (p) => db.selectFrom('items').selectAll().where('id', '=', p.id))).toThrow(/size is not a parameter/);
  });
});
