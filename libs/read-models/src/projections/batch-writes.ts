import { createQueryId, sql, type CompiledQuery, type Kysely } from 'kysely';
import { dialectOf } from '../database/create-read-model-db';
import { READ_MODEL_TABLES, type ReadModelTableName, type ReadModelTables } from '../database/read-model-tables';
import { inList } from './in-list';
import { perDatabase } from './per-database';
import { postgresArrayLiteral } from './postgres-array-literal';
import type { ReadModelTx } from './projection-context';

type Row<Table extends ReadModelTableName> = ReadModelTables[Table];
type AnyRow = Record<string, unknown>;

/**
 * SQLite: rows per multi-row statement at most (larger VALUES lists gain nothing there, and 64
 * rows keep every table under its limit on bound parameters). PostgreSQL binds arrays instead
 * (ALL_ROWS below).
 */
const ROWS_PER_STATEMENT = 64;
/** Conventions per DELETE … IN list (padded to 512 parameters at most: inList). */
const IDS_PER_STATEMENT = 500;

/** Tables in declaration order, each with its columns and primary key. */
const TABLES = (Object.keys(READ_MODEL_TABLES) as ReadModelTableName[]).map((name) => {
  const { columns, primaryKey } = READ_MODEL_TABLES[name];
  const columnNames = Object.keys(columns);
  return {
    name,
    columnNames,
    sqlTypes: Object.values(columns).map((column) => column.sqlType),
    primaryKey,
    updated: columnNames.filter((column) => !primaryKey.includes(column)),
  };
});
type TableShape = (typeof TABLES)[number];

type WriteKind = 'insert' | 'upsert';

/**
 * PostgreSQL: every row of a batch in ONE statement, each column bound as one array
 * (`INSERT … SELECT * FROM unnest($1::text[], …)`, postgres-array-literal.ts writing the
 * arrays): the server parses and plans one short
 * statement per table instead of a VALUES list per 64 rows, which was most of its time in a
 * rebuild (docs/performance.md). SQLite has no arrays: multi-row VALUES there.
 */
const ALL_ROWS = 0;

/**
 * The multi-row statements of one database, compiled once by Kysely (through the database's own
 * plugins, so a plugin renaming tables applies) and run again with new values: rows per
 * statement are powers of two, so a few texts per table serve every batch, and SQLite reuses
 * their prepared form (database/create-read-model-db.ts, withStatementCache).
 */
export class StatementTemplates {
  private readonly compiled = new Map<string, CompiledQuery>();

  /** `rows` ALL_ROWS: the PostgreSQL statement taking one array per column. */
  of(tx: ReadModelTx, shape: TableShape, kind: WriteKind, rows: number): CompiledQuery {
    const key = `${shape.name} ${kind} ${rows}`;
    let template = this.compiled.get(key);
    if (!template) {
      template = rows === ALL_ROWS ? compileArrayWrite(tx, shape, kind) : compileWrite(tx, shape, kind, rows);
      this.compiled.set(key, template);
    }
    return template;
  }
}

// Untyped on purpose: the statements are built from READ_MODEL_TABLES for every table alike.
type UntypedDb = Kysely<Record<string, AnyRow>>;
type Insert = ReturnType<UntypedDb['insertInto']>;

function compileWrite(tx: ReadModelTx, shape: TableShape, kind: WriteKind, rows: number): CompiledQuery {
  // Placeholder values, never null: each one must become one bound parameter.
  const placeholder = Object.fromEntries(shape.columnNames.map((column) => [column, 0]));
  return compileChecked(shape, kind, rows * shape.columnNames.length, (tx as unknown as UntypedDb).insertInto(shape.name).values(Array.from({ length: rows }, () => placeholder)));
}

function compileArrayWrite(tx: ReadModelTx, shape: TableShape, kind: WriteKind): CompiledQuery {
  const db = tx as unknown as UntypedDb;
  const arrays = shape.sqlTypes.map((sqlType) => sql`${0}::${sql.raw(sqlType)}[]`);
  const rows = db.selectFrom(sql`unnest(${sql.join(arrays)})`.as('batch_rows')).selectAll();
  return compileChecked(shape, kind, shape.columnNames.length, db.insertInto(shape.name).columns(shape.columnNames).expression(rows));
}

/** The statement, as an upsert for 'upsert', checked to bind exactly `parameters` values. */
function compileChecked(shape: TableShape, kind: WriteKind, parameters: number, insert: Insert): CompiledQuery {
  const compiled = (kind === 'insert' ? insert : insert.onConflict((conflict) => conflict.columns(shape.primaryKey as string[])
    .doUpdateSet((eb) => Object.fromEntries(shape.updated.map((column) => [column, eb.ref(`excluded.${column}`)]))))).compile();
  if (compiled.parameters.length !== parameters) {
    throw new Error(`${shape.name}: a ${kind} compiled to ${compiled.parameters.length} parameters instead of ${parameters}`);
  }
  return compiled;
}

interface TableWrites {
  /** Conventions whose rows of this table are deleted before the inserts (rows replaced as a whole). */
  replacedConventions: Set<string>;
  /** New rows. The objects may still change until the flush: their last state is written. */
  inserted: AnyRow[];
  insertedRows: Set<AnyRow>;
  /**
   * Changed rows that existed before this batch: written once, in their last state. A row is one
   * object for the whole batch (the convention states hold them), so identity is its key.
   */
  updated: Set<AnyRow>;
}

/**
 * The writes of one batch, aggregated in memory: each handler says which rows are new and which
 * changed; `flush` writes them as a few multi-row statements per table (INSERT for new rows,
 * INSERT … ON CONFLICT DO UPDATE for changed ones, the same SQL on SQLite and PostgreSQL) instead
 * of several single-row statements per event. A row changed several times in the batch is written
 * once. Everything goes through Kysely (no table name in raw SQL), so a plugin that renames
 * tables applies to these writes too.
 */
export class BatchWrites {
  private readonly tables = new Map<ReadModelTableName, TableWrites>();

  /** A new row (a primary key taken twice fails at the flush, as a single INSERT would). */
  insert<Table extends ReadModelTableName>(table: Table, ...rows: Row<Table>[]): void {
    const writes = this.of(table);
    for (const row of rows as AnyRow[]) {
      writes.inserted.push(row);
      writes.insertedRows.add(row);
    }
  }

  /** A row that changed: written in its state at the flush (nothing more to do when it is new in this batch). */
  update<Table extends ReadModelTableName>(table: Table, row: Row<Table>): void {
    const writes = this.of(table);
    if (!writes.insertedRows.has(row as AnyRow)) writes.updated.add(row as AnyRow);
  }

  /** Every row of the convention in `table` becomes `rows` (deleted, then inserted). */
  replaceConventionRows<Table extends ReadModelTableName>(table: Table, conventionId: string, rows: Row<Table>[]): void {
    this.of(table).replacedConventions.add(conventionId);
    this.insert(table, ...rows);
  }

  /** Writes every row recorded since the last flush, with the database's templates (statementTemplatesOf). */
  async flush(tx: ReadModelTx, templates: StatementTemplates): Promise<void> {
    await writeDrained(tx, templates, this.drain());
  }

  /**
   * The rows recorded since the last drain, table by table in declaration order, and the writes
   * start empty again. Plain data: a message to another thread copies them as they are then.
   */
  drain(): DrainedWrites {
    const drained: DrainedWrites = [];
    for (const { name } of TABLES) {
      const writes = this.tables.get(name);
      if (writes) drained.push({ table: name, replacedConventions: [...writes.replacedConventions], inserted: writes.inserted, updated: [...writes.updated] });
    }
    this.tables.clear();
    return drained;
  }

  private of(table: ReadModelTableName): TableWrites {
    let writes = this.tables.get(table);
    if (!writes) {
      writes = { replacedConventions: new Set(), inserted: [], insertedRows: new Set(), updated: new Set() };
      this.tables.set(table, writes);
    }
    return writes;
  }
}

/** One table's writes of a batch, drained from BatchWrites. */
export interface DrainedTableWrites {
  table: ReadModelTableName;
  /** Conventions whose rows of this table are deleted before the inserts. */
  replacedConventions: string[];
  inserted: AnyRow[];
  updated: AnyRow[];
}
export type DrainedWrites = DrainedTableWrites[];

const SHAPES = new Map(TABLES.map((shape) => [shape.name, shape]));

/**
 * Writes drained rows, table by table: the replaced conventions' rows deleted, the new rows
 * inserted, the changed ones upserted, in as few multi-row statements as the dialect allows.
 */
export async function writeDrained(tx: ReadModelTx, templates: StatementTemplates, drained: DrainedWrites): Promise<void> {
  for (const { table, replacedConventions, inserted, updated } of drained) {
    const shape = SHAPES.get(table)!;
    for (let start = 0; start < replacedConventions.length; start += IDS_PER_STATEMENT) {
      const ids = inList(replacedConventions.slice(start, start + IDS_PER_STATEMENT));
      await (tx as unknown as Kysely<Record<string, AnyRow>>).deleteFrom(shape.name).where('convention_id', 'in', ids).execute();
    }
    await writeRows(tx, templates, shape, 'insert', inserted);
    await writeRows(tx, templates, shape, 'upsert', updated);
  }
}

/**
 * SQLite: the rows in statements of a power-of-two size each, largest first. PostgreSQL: one
 * statement. Either way in the order of their primary key: each index is then written in one
 * sweep instead of at random places (an expense's key ends with its random id), which took a
 * third off the inserts of a rebuild (docs/performance.md, "Folded page by page, rows in key order").
 */
async function writeRows(tx: ReadModelTx, templates: StatementTemplates, shape: TableShape, kind: WriteKind, unordered: readonly AnyRow[]): Promise<void> {
  const columns = shape.columnNames;
  if (unordered.length === 0) return;
  const rows = inKeyOrder(shape, unordered);
  if (dialectOf(tx as unknown as UntypedDb) === 'postgres') {
    // A column a row lacks is NULL, as the single-row INSERT left it.
    const parameters = columns.map((column) => postgresArrayLiteral(rows.map((row) => row[column])));
    await tx.executeQuery({ ...templates.of(tx, shape, kind, ALL_ROWS), queryId: createQueryId(), parameters });
    return;
  }
  for (let start = 0; start < rows.length;) {
    let size = ROWS_PER_STATEMENT;
    while (size > rows.length - start) size /= 2;
    const parameters: unknown[] = new Array(size * columns.length);
    let index = 0;
    for (let row = start; row < start + size; row++) {
      // A column a row lacks is NULL, as the single-row INSERT left it.
      for (const column of columns) parameters[index++] = rows[row][column] ?? null;
    }
    await tx.executeQuery({ ...templates.of(tx, shape, kind, size), queryId: createQueryId(), parameters });
    start += size;
  }
}

function inKeyOrder(shape: TableShape, rows: readonly AnyRow[]): readonly AnyRow[] {
  if (rows.length < 2) return rows;
  const key = shape.primaryKey;
  return [...rows].sort((a, b) => {
    for (const column of key) {
      // Key columns are text or integers, never null; only locality is at stake, not an exact collation.
      const left = a[column] as string | number;
      const right = b[column] as string | number;
      if (left !== right) return left < right ? -1 : 1;
    }
    return 0;
  });
}

/** The templates of one database (one Kysely instance, with its plugins). */
export const statementTemplatesOf = perDatabase(() => new StatementTemplates());
