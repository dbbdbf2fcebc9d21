import Decimal from 'decimal.js';
import { sql, type CreateTableBuilder, type Kysely } from 'kysely';
import { dialectOf } from './create-read-model-db';
import { READ_MODEL_TABLES, type ReadModelTableName, type ReadModelTables, type TableDeclaration } from './read-model-tables';
import { shadowNameOf, shadowOf } from './shadow-tables';
import { formatIndicator, STATS_INDICATORS } from './stats-indicators';

/**
 * The DDL of the tables declared in READ_MODEL_TABLES (read-model-tables.ts), the same on SQLite
 * and PostgreSQL: per table, its columns in order (NOT NULL unless declared nullable), a primary
 * key constraint `<table>_pk` and an index `<table>_<columns>_idx` per declared index.
 */
const TABLES = Object.entries(READ_MODEL_TABLES) as [ReadModelTableName, TableDeclaration][];

/** Advisory lock key serialising schema creation between processes on one PostgreSQL database. */
export const SCHEMA_ADVISORY_LOCK_KEY = 4_837_201_927;

/**
 * Runs schema changes in one transaction, serialised between processes: on PostgreSQL two
 * concurrent `CREATE TABLE IF NOT EXISTS` of one table can both pass the check and one then
 * fails, so the transaction first takes a transaction-scoped advisory lock. SQLite serialises
 * writers by itself.
 */
export async function withSchemaLock<DB>(db: Kysely<DB>, change: (trx: Kysely<DB>) => Promise<void>): Promise<void> {
  await db.transaction().execute(async (trx) => {
    if (dialectOf(trx) === 'postgres') await sql`select pg_advisory_xact_lock(${SCHEMA_ADVISORY_LOCK_KEY})`.execute(trx);
    await change(trx);
  });
}

/**
 * Layout version of the tables in READ_MODEL_TABLES. Bump it with any change to them (the layout
 * fingerprint in read-model-schema.spec.ts fails until you do): the read models are derived
 * data, so a process that finds another version drops them all (the checkpoint with them) and
 * the projector replays the log into the new layout, instead of failing on a missing column
 * after an upgrade.
 */
export const READ_MODEL_SCHEMA_VERSION = 5;

/**
 * Tables earlier layouts had and this one has not, dropped with the others on a version change so
 * that their rows do not stay behind: rm_event_history (up to version 4), the copy of every
 * event the histories are now read from the store instead (docs/read-models.md).
 */
const RETIRED_TABLES = ['rm_event_history'];

/** Row of read_model_schema_version holding the live tables' layout version. */
const LIVE_VERSION_ROW = 1;
/** Row holding the layout version of a rebuild's shadow tables (shadow-tables.ts), while one exists. */
const SHADOW_VERSION_ROW = 2;

/** The physical name of a declared table: itself for the live tables, shadowNameOf for a rebuild's. */
type TableNaming = (table: ReadModelTableName) => string;
const LIVE_NAMES: TableNaming = (table) => table;

const indexNameOf = (physicalTable: string, columns: readonly string[]) => `${physicalTable}_${columns.join('_')}_idx`;

/** Idempotent: safe at every start of every process, also concurrently. */
export async function createReadModelSchema(db: Kysely<ReadModelTables>): Promise<void> {
  await withSchemaLock(db, async (trx) => {
    await createVersionTable(trx);
    const found = await trx.selectFrom('read_model_schema_version').select('version').where('id', '=', LIVE_VERSION_ROW).executeTakeFirst();
    if (found && found.version !== READ_MODEL_SCHEMA_VERSION) await dropTables(trx);
    await createTables(trx);
    await seedStats(trx);
    await writeLayoutVersion(trx, LIVE_VERSION_ROW, READ_MODEL_SCHEMA_VERSION);
  });
}

async function createVersionTable(db: Kysely<ReadModelTables>): Promise<void> {
  await db.schema.createTable('read_model_schema_version').ifNotExists()
    .addColumn('id', 'integer', (column) => column.primaryKey())
    .addColumn('version', 'integer', (column) => column.notNull())
    .execute();
}

async function writeLayoutVersion(db: Kysely<ReadModelTables>, row: number, version: number): Promise<void> {
  await db.insertInto('read_model_schema_version').values({ id: row, version })
    .onConflict((conflict) => conflict.column('id').doUpdateSet({ version }))
    .execute();
}

async function createTables(db: Kysely<ReadModelTables>, nameOf: TableNaming = LIVE_NAMES): Promise<void> {
  for (const [name, table] of TABLES) {
    const physical = nameOf(name);
    let builder: CreateTableBuilder<string, string> = db.schema.createTable(physical).ifNotExists();
    for (const [column, { sqlType, nullable }] of Object.entries(table.columns)) {
      builder = builder.addColumn(column, sqlType, (definition) => (nullable ? definition : definition.notNull()));
    }
    builder = builder.addPrimaryKeyConstraint(`${physical}_pk`, [...table.primaryKey]);
    await builder.execute();
    for (const columns of table.indexes ?? []) {
      await db.schema.createIndex(indexNameOf(physical, columns)).ifNotExists().on(physical).columns([...columns]).execute();
    }
  }
}

/** One row per indicator at zero; `db` may be the shadow view (shadow-tables.ts). */
async function seedStats(db: Kysely<ReadModelTables>): Promise<void> {
  await db.insertInto('rm_stats')
    .values(STATS_INDICATORS.map((indicator) => ({ indicator, value: formatIndicator(indicator, new Decimal(0)) })))
    .onConflict((conflict) => conflict.column('indicator').doNothing())
    .execute();
}

async function dropTables(db: Kysely<ReadModelTables>, nameOf: TableNaming = LIVE_NAMES): Promise<void> {
  const retired = nameOf === LIVE_NAMES ? RETIRED_TABLES : [];
  for (const name of [...TABLES.map(([declared]) => nameOf(declared)), ...retired].reverse()) {
    await db.schema.dropTable(name).ifExists().execute();
  }
}

/**
 * Creates a rebuild's shadow tables if missing, and says whether earlier ones are kept: they are
 * when they exist in the current layout and `fromScratch` is not asked (a rebuild killed midway
 * resumes from their checkpoint); otherwise they are dropped and created empty.
 */
export async function prepareShadowReadModels(db: Kysely<ReadModelTables>, options: { fromScratch?: boolean } = {}): Promise<{ resumed: boolean }> {
  let resumed = false;
  await withSchemaLock(db, async (trx) => {
    await createVersionTable(trx);
    const found = await trx.selectFrom('read_model_schema_version').select('version').where('id', '=', SHADOW_VERSION_ROW).executeTakeFirst();
    resumed = !options.fromScratch && found?.version === READ_MODEL_SCHEMA_VERSION;
    if (!resumed) await dropTables(trx, shadowNameOf);
    await createTables(trx, shadowNameOf);
    await seedStats(shadowOf(trx));
    await writeLayoutVersion(trx, SHADOW_VERSION_ROW, READ_MODEL_SCHEMA_VERSION);
  });
  return { resumed };
}

/** Drops a rebuild's shadow tables, if any (the live ones are left alone). */
export async function dropShadowReadModels(db: Kysely<ReadModelTables>): Promise<void> {
  await withSchemaLock(db, async (trx) => {
    await dropTables(trx, shadowNameOf);
    await createVersionTable(trx);
    await trx.deleteFrom('read_model_schema_version').where('id', '=', SHADOW_VERSION_ROW).execute();
  });
}

/**
 * The swap, inside the caller's transaction (which holds the write lock, see
 * projector/shadow-rebuild.ts): drops the live read-model tables and renames the shadow tables,
 * their primary keys and indexes to the live names, so the next rebuild's shadow names are free.
 * SQLite cannot rename an index: it drops the shadow's and builds the live one (small tables).
 * Webhook tables and anything else outside READ_MODEL_TABLES are not touched.
 */
export async function promoteShadowReadModels(trx: Kysely<ReadModelTables>): Promise<void> {
  const postgres = dialectOf(trx) === 'postgres';
  const shadow = await trx.selectFrom('read_model_schema_version').select('version').where('id', '=', SHADOW_VERSION_ROW).executeTakeFirst();
  if (!shadow) throw new Error('no shadow read models to swap in');
  await dropTables(trx);
  for (const [name, table] of TABLES) {
    const from = shadowNameOf(name);
    await trx.schema.alterTable(from).renameTo(name).execute();
    if (postgres) await sql`alter table ${sql.table(name)} rename constraint ${sql.id(`${from}_pk`)} to ${sql.id(`${name}_pk`)}`.execute(trx);
    for (const columns of table.indexes ?? []) {
      if (postgres) {
        await sql`alter index ${sql.id(indexNameOf(from, columns))} rename to ${sql.id(indexNameOf(name, columns))}`.execute(trx);
      } else {
        await trx.schema.dropIndex(indexNameOf(from, columns)).ifExists().execute();
        await trx.schema.createIndex(indexNameOf(name, columns)).on(name).columns([...columns]).execute();
      }
    }
  }
  await writeLayoutVersion(trx, LIVE_VERSION_ROW, shadow.version);
  await trx.deleteFrom('read_model_schema_version').where('id', '=', SHADOW_VERSION_ROW).execute();
}

/** Wall-clock columns: they say when a row was written, not what the events say. */
const WALL_CLOCK_COLUMNS: Partial<Record<ReadModelTableName, readonly string[]>> = { projection_checkpoints: ['updated_at'] };

/**
 * Every read-model row in a deterministic order (each table by its primary key), leaving out
 * wall-clock columns: the basis of the rebuild-equality and crash-recovery checks.
 */
export async function dumpReadModels(db: Kysely<ReadModelTables>): Promise<Record<string, Record<string, unknown>[]>> {
  const dump: Record<string, Record<string, unknown>[]> = {};
  for (const [name, table] of TABLES) {
    const columns = Object.keys(table.columns).filter((column) => !WALL_CLOCK_COLUMNS[name]?.includes(column));
    const orderBy = sql.join(table.primaryKey.map((column) => sql.ref(column)));
    const result = await sql<Record<string, unknown>>`select ${sql.join(columns.map((column) => sql.ref(column)))} from ${sql.table(name)} order by ${orderBy}`.execute(db);
    dump[name] = result.rows;
  }
  return dump;
}
