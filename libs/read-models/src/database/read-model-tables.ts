/**
 * The read-model tables, declared once. Each table is a map of typed columns: the DDL on SQLite
 * and PostgreSQL is generated from it (read-model-schema.ts), and the row types Kysely sees are
 * derived from it (end of this file), so the two cannot drift apart. Column meanings are
 * documented for reporting jobs in docs/read-models.md.
 *
 * Conventions shared by every table: money is canonical two-decimal TEXT ("800000.00"), business
 * dates are 'YYYY-MM-DD' TEXT, instants are ISO-8601 TEXT, booleans are INTEGER 0/1 (SQLite has
 * no boolean and better-sqlite3 refuses to bind one), JSON is TEXT. Global positions are BIGINT.
 * Only these three portable types are used, so both dialects get the same DDL.
 *
 * Any change here changes the layout: bump READ_MODEL_SCHEMA_VERSION (read-model-schema.ts).
 */
export type MoneyColumn = string;
export type DateColumn = string;

export type SqlColumnType = 'text' | 'integer' | 'bigint';

/** One column: its SQL type, whether it takes NULL, and (in the type only) the value of its rows. */
export interface Column<Value> {
  readonly sqlType: SqlColumnType;
  readonly nullable: boolean;
  /** Never set at run time: carries the TypeScript type of the column's values. */
  readonly value?: Value;
}

const column = <Value>(sqlType: SqlColumnType): Column<Value> => ({ sqlType, nullable: false });
/** TEXT; `Value` narrows it to the strings the projections write (a status, a kind). */
const text = <Value extends string = string>() => column<Value>('text');
/** Canonical two-decimal money, TEXT. */
const money = () => column<MoneyColumn>('text');
/** Business date 'YYYY-MM-DD', TEXT. */
const date = () => column<DateColumn>('text');
/** INTEGER: numbers, counts, 0/1 booleans. */
const integer = () => column<number>('integer');
/** BIGINT: a global position (read back as a number, see createReadModelDb). */
const position = () => column<number>('bigint');
const nullable = <Value>(of: Column<Value>): Column<Value | null> => ({ ...of, nullable: true });

type Columns = Record<string, Column<unknown>>;

export interface TableDeclaration<C extends Columns = Columns> {
  /** In the order of the DDL. */
  readonly columns: C;
  /** Also the order in which dumpReadModels lists the rows. */
  readonly primaryKey: readonly string[];
  readonly indexes?: readonly (readonly string[])[];
}

/** A table; its primary key and indexes may only name its own columns. */
const table = <C extends Columns>(declaration: {
  columns: C;
  primaryKey: readonly NoInfer<keyof C & string>[];
  indexes?: readonly (readonly NoInfer<keyof C & string>[])[];
}): TableDeclaration<C> => declaration;

/** The row type of a declared table: each column's value type, `| null` when nullable. */
export type RowOf<T extends TableDeclaration> = {
  [Name in keyof T['columns']]: T['columns'][Name] extends Column<infer Value> ? Value : never;
};

/** Columns repeated under a prefix, in order: `name` under "funder" is `funder_name`. */
type Prefixed<Prefix extends string, C extends Columns> = { [Name in keyof C & string as `${Prefix}_${Name}`]: C[Name] };
const prefixed = <Prefix extends string, C extends Columns>(prefix: Prefix, columns: C) =>
  Object.fromEntries(Object.entries(columns).map(([name, of]) => [`${prefix}_${name}`, of])) as Prefixed<Prefix, C>;

/** A party as a version of the terms states it (T1; A2 may change the representative and the bank account). */
const partyTermsColumns = {
  name: text(),
  representative: text(),
  /** T1 (v2): '' for parties registered before v2 (no organisation). */
  organisation: text(),
  /** T1 (v2), the beneficiary's public accountant when another organisation. */
  accounting_organisation: nullable(text()),
  bank_code: text(),
  branch_code: text(),
  account_number: text(),
  rib_key: text(),
  /** T1 (v2): the account holder's name when it is not the party's. */
  bank_holder: nullable(text()),
  /** Derived from the RIB (ibanFromRib). */
  iban: text(),
};

/** The convention's party: the terms in force now, and its signature (S1). */
const partyColumns = {
  ...partyTermsColumns,
  signatory: nullable(text()),
  signed_on: nullable(date()),
};

export type MoneyFactKind = 'tranche-due' | 'tranche-payment' | 'settlement-payment' | 'restitution-payment';

export type ConventionStatusColumn = 'draft' | 'active' | 'closed' | 'terminated' | 'settled';

/**
 * Every read-model table, in the order they are created, dumped (and dropped in reverse). A
 * rebuild drops and recreates exactly these.
 */
export const READ_MODEL_TABLES = {
  rm_conventions: table({
    columns: {
      convention_id: text(),
      reference: text(),
      title: text(),
      /** From the figures (figures.ts), as of now; refreshed with rm_balances. */
      status: text<ConventionStatusColumn>(),
      ...prefixed('funder', partyColumns),
      ...prefixed('beneficiary', partyColumns),
      registered_ceiling: money(),
      registered_duration_months: integer(),
      ceiling: money(),
      duration_months: integer(),
      expense_categories: text(),
      budget_fonds_de_concours: nullable(text()),
      budget_programme: nullable(text()),
      budget_bop: nullable(text()),
      effective_on: nullable(date()),
      ends_on: nullable(date()),
      amendments_count: integer(),
      closed_on: nullable(date()),
      closure_statement: nullable(integer()),
      termination_decided_on: nullable(date()),
      termination_effective_on: nullable(date()),
      termination_decided_by: nullable(text<'funder' | 'beneficiary'>()),
      termination_reason: nullable(text()),
      termination_at_fault: nullable(text<'funder' | 'beneficiary'>()),
      /** 1 for a termination recorded before v2, whose figures were final at once (X1). */
      termination_figures_final: nullable(integer()),
      /** The last settlement's date while settled now (R1), else null. */
      settled_on: nullable(date()),
      registered_at: text(),
      /** The convention's last event the read models include: its history (read from the event store) stops there. */
      last_revision: integer(),
      last_position: position(),
    },
    primaryKey: ['convention_id'],
    // The organisation columns: GET /conventions lists only what the caller's organisation may see.
    indexes: [['reference'], ['status'], ['funder_organisation'], ['beneficiary_organisation'], ['beneficiary_accounting_organisation']],
  }),
  /**
   * The terms timeline (A3): version 0 as registered, version n as amendment n put in force from
   * its date. The tranche schedules of each version are in rm_tranches.
   */
  rm_terms: table({
    columns: {
      convention_id: text(),
      terms_version: integer(),
      /** Null for the registered terms; the amendment's signature date otherwise. */
      in_force_from: nullable(date()),
      ceiling: money(),
      duration_months: integer(),
      /** Known once the convention took effect (M3). */
      ends_on: nullable(date()),
      expense_categories: text(),
      ...prefixed('funder', partyTermsColumns),
      ...prefixed('beneficiary', partyTermsColumns),
    },
    primaryKey: ['convention_id', 'terms_version'],
  }),
  /** Tranche schedules: version 0 is the registered one, version n the one amendment n put in force. */
  rm_tranches: table({
    columns: {
      convention_id: text(),
      terms_version: integer(),
      number: integer(),
      amount: money(),
      release_on: text<'signature' | 'consumption'>(),
      threshold: nullable(money()),
    },
    primaryKey: ['convention_id', 'terms_version', 'number'],
  }),
  rm_amendments: table({
    columns: {
      convention_id: text(),
      number: integer(),
      signed_on: date(),
      funder_signatory: text(),
      beneficiary_signatory: text(),
      changes: text(),
      position: position(),
    },
    primaryKey: ['convention_id', 'number'],
  }),
  rm_expenses: table({
    columns: {
      convention_id: text(),
      expense_id: text(),
      category: text(),
      description: text(),
      contract: nullable(text()),
      amount: money(),
      state: text<'committed' | 'service-done' | 'paid' | 'accepted' | 'rejected'>(),
      committed_on: date(),
      payee_name: nullable(text()),
      payee_siret: nullable(text()),
      commitment_number: nullable(text()),
      service_done_on: nullable(date()),
      invoice_number: nullable(text()),
      invoice_issued_on: nullable(date()),
      paid_on: nullable(date()),
      payment_order: nullable(text()),
      accepted_on: nullable(date()),
      rejected_on: nullable(date()),
      rejection_reason: nullable(text()),
      rejected_at_step: nullable(text()),
      recovery_order: nullable(text()),
      position: position(),
    },
    primaryKey: ['convention_id', 'expense_id'],
  }),
  /** Every dated money fact the figures need, one row per fact. */
  rm_money_facts: table({
    columns: {
      convention_id: text(),
      position: position(),
      kind: text<MoneyFactKind>(),
      occurred_on: date(),
      amount: money(),
      tranche: nullable(integer()),
      cause: nullable(text<'signature' | 'fund-call'>()),
      payment_id: nullable(text()),
      reference: nullable(text()),
    },
    primaryKey: ['convention_id', 'position', 'kind'],
  }),
  rm_fund_calls: table({
    columns: {
      convention_id: text(),
      tranche: integer(),
      statement_number: integer(),
      issued_on: date(),
      statement_cumulative_total: money(),
      position: position(),
    },
    primaryKey: ['convention_id', 'tranche'],
  }),
  rm_statements: table({
    columns: {
      convention_id: text(),
      number: integer(),
      cutoff: date(),
      drawn_up_on: date(),
      final: integer(),
      total: money(),
      previous_cumulative_total: money(),
      cumulative_total: money(),
      line_count: integer(),
      correction_count: integer(),
      drawn_up_at: text(),
      position: position(),
    },
    primaryKey: ['convention_id', 'number'],
  }),
  rm_statement_lines: table({
    columns: {
      convention_id: text(),
      statement_number: integer(),
      line_number: integer(),
      expense_id: text(),
      category: text(),
      description: text(),
      amount: money(),
      committed_on: date(),
      service_done_on: date(),
      paid_on: date(),
      contract: nullable(text()),
      payee_name: nullable(text()),
      payee_siret: nullable(text()),
      commitment_number: nullable(text()),
      invoice_number: nullable(text()),
      invoice_issued_on: nullable(date()),
      payment_order: nullable(text()),
    },
    primaryKey: ['convention_id', 'statement_number', 'line_number'],
  }),
  /** D1 (v2): expenses listed earlier and rejected since, taken back out by a statement. */
  rm_statement_corrections: table({
    columns: {
      convention_id: text(),
      statement_number: integer(),
      correction_number: integer(),
      expense_id: text(),
      /** Negative, as in the event ("-1200.00"): the one signed money column. */
      amount: text(),
      listed_on: integer(),
      rejected_on: date(),
      reason: text(),
    },
    primaryKey: ['convention_id', 'statement_number', 'correction_number'],
  }),
  rm_statement_signatures: table({
    columns: {
      convention_id: text(),
      statement_number: integer(),
      signed_as: text<'authorizing-officer' | 'public-accountant'>(),
      signatory: text(),
      subject: text(),
      signed_on: date(),
      position: position(),
    },
    primaryKey: ['convention_id', 'statement_number', 'signed_as'],
  }),
  /** R1 (v2): each time the convention became settled, or a late rejection reopened it. */
  rm_settlements: table({
    columns: {
      convention_id: text(),
      position: position(),
      kind: text<'settled' | 'reopened'>(),
      occurred_on: date(),
      /** Reopened: the expense whose late rejection reopened it. */
      expense_id: nullable(text()),
      /** Reopened: the restitution outstanding then, as evidence. */
      restitution_outstanding: nullable(money()),
    },
    primaryKey: ['convention_id', 'position'],
  }),
  /** Current figures per convention (figuresAsOf with no date), refreshed whenever it changes. */
  rm_balances: table({
    columns: {
      convention_id: text(),
      status: text<ConventionStatusColumn>(),
      ceiling: money(),
      committed: money(),
      service_done: money(),
      paid: money(),
      consumed: money(),
      rejected: money(),
      called: money(),
      due: money(),
      received: money(),
      outstanding: money(),
      remaining_ceiling: money(),
      /** Null until the convention ended (closure or termination). */
      participation: nullable(money()),
      provisional: integer(),
      restitution_due: money(),
      restitution_paid: money(),
      restitution_outstanding: money(),
      owed_to_beneficiary_due: money(),
      owed_to_beneficiary_paid: money(),
      owed_to_beneficiary_outstanding: money(),
      expenses_count: integer(),
      statements_count: integer(),
      last_position: position(),
    },
    primaryKey: ['convention_id'],
  }),
  rm_balance_tranches: table({
    columns: {
      convention_id: text(),
      number: integer(),
      amount: money(),
      status: text<'scheduled' | 'due' | 'partially-paid' | 'paid' | 'lapsed'>(),
      paid: money(),
    },
    primaryKey: ['convention_id', 'number'],
  }),
  /** One row per indicator, so adding an indicator never changes the DDL. */
  rm_stats: table({
    columns: {
      indicator: text(),
      /** Counts and money alike are held as exact decimal text. */
      value: text(),
    },
    primaryKey: ['indicator'],
  }),
  projection_checkpoints: table({
    columns: {
      projection: text(),
      position: position(),
      updated_at: text(),
    },
    primaryKey: ['projection'],
  }),
};

export type ReadModelTableName = keyof typeof READ_MODEL_TABLES;

export type ConventionsTable = RowOf<typeof READ_MODEL_TABLES.rm_conventions>;
export type TermsTable = RowOf<typeof READ_MODEL_TABLES.rm_terms>;
export type TranchesTable = RowOf<typeof READ_MODEL_TABLES.rm_tranches>;
export type AmendmentsTable = RowOf<typeof READ_MODEL_TABLES.rm_amendments>;
export type ExpensesTable = RowOf<typeof READ_MODEL_TABLES.rm_expenses>;
export type MoneyFactsTable = RowOf<typeof READ_MODEL_TABLES.rm_money_facts>;
export type FundCallsTable = RowOf<typeof READ_MODEL_TABLES.rm_fund_calls>;
export type StatementsTable = RowOf<typeof READ_MODEL_TABLES.rm_statements>;
export type StatementLinesTable = RowOf<typeof READ_MODEL_TABLES.rm_statement_lines>;
export type StatementCorrectionsTable = RowOf<typeof READ_MODEL_TABLES.rm_statement_corrections>;
export type StatementSignaturesTable = RowOf<typeof READ_MODEL_TABLES.rm_statement_signatures>;
export type SettlementsTable = RowOf<typeof READ_MODEL_TABLES.rm_settlements>;
export type BalancesTable = RowOf<typeof READ_MODEL_TABLES.rm_balances>;
export type BalanceTranchesTable = RowOf<typeof READ_MODEL_TABLES.rm_balance_tranches>;
export type StatsTable = RowOf<typeof READ_MODEL_TABLES.rm_stats>;
export type ProjectionCheckpointsTable = RowOf<typeof READ_MODEL_TABLES.projection_checkpoints>;

/**
 * One row: the layout version the read-model tables were created with. Not a read model (a
 * rebuild keeps it); its two-column DDL is written out in createReadModelSchema.
 */
export interface ReadModelSchemaVersionTable {
  id: number;
  version: number;
}

type DeclaredTables = { [Name in ReadModelTableName]: RowOf<(typeof READ_MODEL_TABLES)[Name]> };

/** The database as Kysely sees it. */
export interface ReadModelTables extends DeclaredTables {
  read_model_schema_version: ReadModelSchemaVersionTable;
}
