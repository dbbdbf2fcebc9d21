import Decimal from 'decimal.js';
import { sql, type CreateTableBuilder, type Kysely } from 'kysely';
import { dialectOf } from './create-read-model-db';
import type { ReadModelTables } from './read-model-tables';
import { formatIndicator, STATS_INDICATORS } from './stats-indicators';

type TableName = keyof ReadModelTables;
type ColumnType = 'text' | 'integer' | 'bigint';
type ColumnSpec = readonly [name: string, type: ColumnType, nullable?: 'null'];

interface TableSpec {
  name: TableName;
  columns: readonly ColumnSpec[];
  primaryKey: readonly string[];
  indexes?: readonly (readonly string[])[];
}

const party = (role: 'funder' | 'beneficiary'): ColumnSpec[] => [
  [`${role}_name`, 'text'],
  [`${role}_representative`, 'text'],
  [`${role}_bank_code`, 'text'],
  [`${role}_branch_code`, 'text'],
  [`${role}_account_number`, 'text'],
  [`${role}_rib_key`, 'text'],
  [`${role}_iban`, 'text'],
  [`${role}_signatory`, 'text', 'null'],
  [`${role}_signed_on`, 'text', 'null'],
];

/**
 * The read-model schema, declared once and turned into the same DDL on SQLite and PostgreSQL
 * (only portable column types: TEXT, INTEGER, BIGINT). The primary keys double as the
 * deterministic order in which tables are dumped (see dumpReadModels).
 */
export const READ_MODEL_SCHEMA: readonly TableSpec[] = [
  {
    name: 'rm_conventions',
    columns: [
      ['convention_id', 'text'], ['reference', 'text'], ['title', 'text'], ['status', 'text'],
      ...party('funder'), ...party('beneficiary'),
      ['registered_ceiling', 'text'], ['registered_duration_months', 'integer'],
      ['ceiling', 'text'], ['duration_months', 'integer'], ['expense_categories', 'text'],
      ['budget_fonds_de_concours', 'text', 'null'], ['budget_programme', 'text', 'null'], ['budget_bop', 'text', 'null'],
      ['effective_on', 'text', 'null'], ['ends_on', 'text', 'null'], ['amendments_count', 'integer'],
      ['closed_on', 'text', 'null'], ['closure_statement', 'integer', 'null'],
      ['terminated_on', 'text', 'null'], ['termination_reason', 'text', 'null'], ['termination_at_fault', 'text', 'null'],
      ['settled_on', 'text', 'null'], ['registered_at', 'text'], ['last_revision', 'integer'], ['last_position', 'bigint'],
    ],
    primaryKey: ['convention_id'],
    indexes: [['reference'], ['status']],
  },
  {
    name: 'rm_tranches',
    columns: [
      ['convention_id', 'text'], ['terms_version', 'integer'], ['number', 'integer'], ['amount', 'text'],
      ['release_on', 'text'], ['threshold', 'text', 'null'],
    ],
    primaryKey: ['convention_id', 'terms_version', 'number'],
  },
  {
    name: 'rm_amendments',
    columns: [
      ['convention_id', 'text'], ['number', 'integer'], ['signed_on', 'text'], ['funder_signatory', 'text'],
      ['beneficiary_signatory', 'text'], ['changes', 'text'], ['ceiling', 'text'], ['duration_months', 'integer'],
      ['ends_on', 'text'], ['position', 'bigint'],
    ],
    primaryKey: ['convention_id', 'number'],
  },
  {
    name: 'rm_expenses',
    columns: [
      ['convention_id', 'text'], ['expense_id', 'text'], ['category', 'text'], ['description', 'text'],
      ['contract', 'text', 'null'], ['amount', 'text'], ['state', 'text'], ['committed_on', 'text'],
      ['service_done_on', 'text', 'null'], ['paid_on', 'text', 'null'], ['accepted_on', 'text', 'null'],
      ['rejected_on', 'text', 'null'], ['rejection_reason', 'text', 'null'], ['rejected_at_step', 'text', 'null'],
      ['position', 'bigint'],
    ],
    primaryKey: ['convention_id', 'expense_id'],
  },
  {
    name: 'rm_money_facts',
    columns: [
      ['convention_id', 'text'], ['position', 'bigint'], ['kind', 'text'], ['occurred_on', 'text'], ['amount', 'text'],
      ['tranche', 'integer', 'null'], ['cause', 'text', 'null'], ['payment_id', 'text', 'null'], ['reference', 'text', 'null'],
    ],
    primaryKey: ['convention_id', 'position', 'kind'],
  },
  {
    name: 'rm_fund_calls',
    columns: [
      ['convention_id', 'text'], ['tranche', 'integer'], ['statement_number', 'integer'], ['issued_on', 'text'],
      ['statement_cumulative_total', 'text'], ['position', 'bigint'],
    ],
    primaryKey: ['convention_id', 'tranche'],
  },
  {
    name: 'rm_statements',
    columns: [
      ['convention_id', 'text'], ['number', 'integer'], ['cutoff', 'text'], ['final', 'integer'], ['total', 'text'],
      ['cumulative_total', 'text'], ['line_count', 'integer'], ['drawn_up_at', 'text'], ['position', 'bigint'],
    ],
    primaryKey: ['convention_id', 'number'],
  },
  {
    name: 'rm_statement_lines',
    columns: [
      ['convention_id', 'text'], ['statement_number', 'integer'], ['line_number', 'integer'], ['expense_id', 'text'],
      ['category', 'text'], ['description', 'text'], ['amount', 'text'], ['committed_on', 'text'],
      ['service_done_on', 'text'], ['paid_on', 'text'],
    ],
    primaryKey: ['convention_id', 'statement_number', 'line_number'],
  },
  {
    name: 'rm_statement_signatures',
    columns: [
      ['convention_id', 'text'], ['statement_number', 'integer'], ['signed_as', 'text'], ['signatory', 'text'],
      ['subject', 'text'], ['signed_on', 'text'], ['position', 'bigint'],
    ],
    primaryKey: ['convention_id', 'statement_number', 'signed_as'],
  },
  {
    name: 'rm_event_history',
    columns: [
      ['position', 'bigint'], ['convention_id', 'text'], ['revision', 'integer'], ['event_id', 'text'], ['type', 'text'],
      ['schema_version', 'integer'], ['data', 'text'], ['recorded_at', 'text'], ['actor_subject', 'text'],
      ['actor_roles', 'text'], ['request_id', 'text', 'null'], ['correlation_id', 'text', 'null'],
      ['causation_id', 'text', 'null'], ['idempotency_key', 'text', 'null'],
    ],
    primaryKey: ['position'],
    indexes: [['convention_id', 'revision']],
  },
  {
    name: 'rm_balances',
    columns: [
      ['convention_id', 'text'], ['status', 'text'], ['ceiling', 'text'], ['committed', 'text'], ['service_done', 'text'],
      ['paid', 'text'], ['consumed', 'text'], ['rejected', 'text'], ['called', 'text'], ['due', 'text'],
      ['received', 'text'], ['outstanding', 'text'], ['remaining_ceiling', 'text'], ['restitution_due', 'text'],
      ['restitution_paid', 'text'], ['restitution_outstanding', 'text'], ['owed_to_beneficiary', 'text'],
      ['expenses_count', 'integer'], ['statements_count', 'integer'], ['last_position', 'bigint'],
    ],
    primaryKey: ['convention_id'],
  },
  {
    name: 'rm_balance_tranches',
    columns: [['convention_id', 'text'], ['number', 'integer'], ['amount', 'text'], ['status', 'text'], ['paid', 'text']],
    primaryKey: ['convention_id', 'number'],
  },
  {
    name: 'rm_stats',
    columns: [['indicator', 'text'], ['value', 'text']],
    primaryKey: ['indicator'],
  },
  {
    name: 'projection_checkpoints',
    columns: [['projection', 'text'], ['position', 'bigint'], ['updated_at', 'text']],
    primaryKey: ['projection'],
  },
];

export const READ_MODEL_TABLE_NAMES: readonly TableName[] = READ_MODEL_SCHEMA.map((table) => table.name);

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
 * Layout version of the tables below. Bump it with any change to them: the read models are
 * derived data, so a process that finds another version drops them all (the checkpoint with
 * them) and the projector replays the log into the new layout, instead of failing on a missing
 * column after an upgrade.
 */
export const READ_MODEL_SCHEMA_VERSION = 2;

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
  for (const table of READ_MODEL_SCHEMA) {
    let builder: CreateTableBuilder<string, string> = db.schema.createTable(table.name).ifNotExists();
    for (const [name, type, nullable] of table.columns) {
      builder = builder.addColumn(name, type, (column) => (nullable ? column : column.notNull()));
    }
    builder = builder.addPrimaryKeyConstraint(`${table.name}_pk`, table.primaryKey as string[]);
    await builder.execute();
    for (const columns of table.indexes ?? []) {
      await db.schema
        .createIndex(`${table.name}_${columns.join('_')}_idx`)
        .ifNotExists()
        .on(table.name)
        .columns(columns as string[])
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
  for (const table of [...READ_MODEL_SCHEMA].reverse()) {
    await db.schema.dropTable(table.name).ifExists().execute();
  }
}

/** Wall-clock columns: they say when a row was written, not what the events say. */
const WALL_CLOCK_COLUMNS: Partial<Record<TableName, readonly string[]>> = { projection_checkpoints: ['updated_at'] };

/**
 * Every read-model row in a deterministic order (each table by its primary key), leaving out
 * wall-clock columns: the basis of the rebuild-equality and crash-recovery checks.
 */
export async function dumpReadModels(db: Kysely<ReadModelTables>): Promise<Record<string, Record<string, unknown>[]>> {
  const dump: Record<string, Record<string, unknown>[]> = {};
  for (const table of READ_MODEL_SCHEMA) {
    const columns = table.columns.map(([name]) => name).filter((name) => !WALL_CLOCK_COLUMNS[table.name]?.includes(name));
    const orderBy = sql.join(table.primaryKey.map((column) => sql.ref(column)));
    const result = await sql<Record<string, unknown>>`select ${sql.join(columns.map((column) => sql.ref(column)))} from ${sql.table(table.name)} order by ${orderBy}`.execute(db);
    dump[table.name] = result.rows;
  }
  return dump;
}
