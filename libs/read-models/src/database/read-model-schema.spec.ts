import { createHash } from 'node:crypto';
import {
  DummyDriver, Kysely, PostgresAdapter, PostgresIntrospector, PostgresQueryCompiler, SqliteAdapter, SqliteIntrospector, SqliteQueryCompiler,
} from 'kysely';
import type { ReadModelDialect } from './create-read-model-db';
import { createReadModelSchema, READ_MODEL_SCHEMA_VERSION } from './read-model-schema';
import { READ_MODEL_TABLES, type ConventionsTable, type ReadModelTables, type StatsTable } from './read-model-tables';

/**
 * SHA-256 of the DDL createReadModelSchema issues, per layout version. The DDL and the row types
 * are both derived from READ_MODEL_TABLES, so they cannot disagree; what this guards is the
 * layout itself: a change to the declaration changes the fingerprint, and a process would then
 * meet tables of another layout under the same version. Bump READ_MODEL_SCHEMA_VERSION and add
 * the new fingerprint (the failure message gives it).
 */
const LAYOUT_FINGERPRINTS: Record<number, string> = {
  2: '54516069cbaa71313db694587e6d0d6731a2fb44df2f676894e94c226537ea9a',
  3: 'c1c561a28b54faad698dbeea0a1e834d1be3dbfa181b7cfd85bedc01003461df',
  4: '15098ef3446208f0aff2602979331ed824cc90bd7a2ea67a21747ddfb4f3fffe',
  5: 'd323b5f98832c4e408cf9b83c7f80182cbc5756b5c137368847d76f21c7c9344',
};

/** The statements createReadModelSchema sends on one dialect, captured without a database. */
async function ddlOf(dialect: ReadModelDialect): Promise<string[]> {
  const statements: string[] = [];
  const db = new Kysely<ReadModelTables>({
    dialect: {
      createAdapter: () => (dialect === 'postgres' ? new PostgresAdapter() : new SqliteAdapter()),
      createDriver: () => new DummyDriver(),
      createIntrospector: (kysely) => (dialect === 'postgres' ? new PostgresIntrospector(kysely) : new SqliteIntrospector(kysely)),
      createQueryCompiler: () => (dialect === 'postgres' ? new PostgresQueryCompiler() : new SqliteQueryCompiler()),
    },
    log: (event) => {
      if (/^create /.test(event.query.sql)) statements.push(event.query.sql);
    },
  });
  await createReadModelSchema(db);
  await db.destroy();
  return statements;
}

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

describe('read-model schema', () => {
  it('is the same DDL on SQLite and PostgreSQL', async () => {
    const sqlite = await ddlOf('sqlite');
    expect(sqlite.length).toBe(1 + Object.keys(READ_MODEL_TABLES).length + 5); // version table, tables, 5 indexes
    expect(await ddlOf('postgres')).toEqual(sqlite);
  });

  it(`is the layout recorded for READ_MODEL_SCHEMA_VERSION (${READ_MODEL_SCHEMA_VERSION})`, async () => {
    const ddl = (await ddlOf('sqlite')).join(';\n');
    const fingerprint = sha256(ddl);
    const recorded = LAYOUT_FINGERPRINTS[READ_MODEL_SCHEMA_VERSION];
    if (fingerprint !== recorded) {
      const earlier = Object.entries(LAYOUT_FINGERPRINTS).find(([, known]) => known === fingerprint);
      throw new Error(
        (recorded === undefined
          ? `No layout fingerprint recorded for version ${READ_MODEL_SCHEMA_VERSION}: add ${READ_MODEL_SCHEMA_VERSION}: '${fingerprint}' to LAYOUT_FINGERPRINTS.`
          : earlier
            ? `This DDL is the layout of version ${earlier[0]}, not ${READ_MODEL_SCHEMA_VERSION}.`
            : `The read-model layout changed under version ${READ_MODEL_SCHEMA_VERSION}: bump READ_MODEL_SCHEMA_VERSION ` +
              `(read-model-schema.ts, docs/read-models.md) so existing read models are rebuilt, and record '${fingerprint}' for it.`) +
          `\n\n${ddl}`,
      );
    }
  });

  it('declares primary keys on NOT NULL columns only (SQLite would accept NULL in them, PostgreSQL not)', () => {
    const nullableKeys = Object.entries(READ_MODEL_TABLES).flatMap(([name, table]) =>
      table.primaryKey.filter((column) => (table.columns as Record<string, { nullable: boolean }>)[column].nullable).map((column) => `${name}.${column}`));
    expect(nullableKeys).toEqual([]);
  });
});

// The row types Kysely sees are derived from the same declaration (checked by `npm run typecheck`).
type Equals<A, B> = (<T>() => T extends A ? 1 : 2) extends (<T>() => T extends B ? 1 : 2) ? true : false;
const derivedRowTypes: [
  Equals<ConventionsTable['closed_on'], string | null>,
  Equals<ConventionsTable['status'], 'draft' | 'active' | 'closed' | 'terminated' | 'settled'>,
  Equals<ConventionsTable['last_position'], number>,
  Equals<keyof StatsTable, 'indicator' | 'value'>,
  Equals<Exclude<keyof ReadModelTables, keyof typeof READ_MODEL_TABLES>, 'read_model_schema_version'>,
] = [true, true, true, true, true];
void derivedRowTypes;
