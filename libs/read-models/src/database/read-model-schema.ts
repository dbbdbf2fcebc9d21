import Decimal from 'decimal.js';
import { sql, type CreateTableBuilder, type Kysely } from 'kysely';
import { dialectOf } from './create-read-model-db';
import { READ_MODEL_TABLES, type ReadModelTableName, type ReadModelTables, type TableDeclaration } from './read-model-tables';
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

/** Idempotent: safe at every start of every process, also concurrently. */
export async function createReadModelSchema(db: Kysely<ReadModelTables>): Promise<void> {
  await withSchemaLock(db, async (trx) => {
    await trx.schema.createTable('read_model_schema_version').ifNotExists()
      .addColumn('id', 'integer', (column) => column.primaryKey())
      .addColumn('version', 'integer', (column) => column.notNull())
      .execute();
    const found = await trx.selectFrom('read_model_schema_version').select('version').where('id', '=', 1).executeTakeFirst();
    if (found && found.version !== READ_MODEL_SCHEMA_VERSION) await dropTables(trx);
    await createTables(trx);
    await trx.insertInto('read_model_schema_version').values({ id: 1, version: READ_MODEL_SCHEMA_VERSION })
      .onConflict((conflict) => conflict.column('id').doUpdateSet({ version: READ_MODEL_SCHEMA_VERSION }))
      .execute();
  });
}

async function createTables(db: Kysely<ReadModelTables>): Promise<void> {
  for (const [name, table] of TABLES) {
    let builder: CreateTableBuilder<string, string> = db.schema.createTable(name).ifNotExists();
    for (const [column, { sqlType, nullable }] of Object.entries(table.columns)) {
      builder = builder.addColumn(column, sqlType, (definition) => (nullable ? definition : definition.notNull()));
    }
    builder = builder.addPrimaryKeyConstraint(`${name}_pk`, [...table.primaryKey]);
    await builder.execute();
    for (const columns of table.indexes ?? []) {
      await db.schema
        .createIndex(`${name}_${columns.join('_')}_idx`)
        .ifNotExists()
        .on(name)
        .columns([...columns])
        .execute();
    }
  }
  await db.insertInto('rm_stats')
    .values(STATS_INDICATORS.map((indicator) => ({ indicator, value: formatIndicator(indicator, new Decimal(0)) })))
    .onConflict((conflict) => conflict.column('indicator').doNothing())
    .execute();
}

export async function dropReadModelSchema(db: Kysely<ReadModelTables>): Promise<void> {
  await withSchemaLock(db, dropTables);
}

async function dropTables(db: Kysely<ReadModelTables>): Promise<void> {
  for (const name of [...TABLES.map(([declared]) => declared), ...RETIRED_TABLES].reverse()) {
    await db.schema.dropTable(name).ifExists().execute();
  }
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
