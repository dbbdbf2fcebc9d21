/**
 * Row shapes of the read-model tables, as Kysely sees them. Column meanings are documented for
 * reporting jobs in docs/read-models.md.
 *
 * Conventions shared by every table: money is canonical two-decimal TEXT ("800000.00"), business
 * dates are 'YYYY-MM-DD' TEXT, instants are ISO-8601 TEXT, booleans are INTEGER 0/1 (SQLite has
 * no boolean and better-sqlite3 refuses to bind one), JSON is TEXT. Global positions are BIGINT.
 */
export type MoneyColumn = string;
export type DateColumn = string;

export interface ConventionsTable {
  convention_id: string;
  reference: string;
  title: string;
  status: 'draft' | 'active' | 'closed' | 'terminated' | 'settled';
  funder_name: string;
  funder_representative: string;
  funder_bank_code: string;
  funder_branch_code: string;
  funder_account_number: string;
  funder_rib_key: string;
  funder_iban: string;
  funder_signatory: string | null;
  funder_signed_on: DateColumn | null;
  beneficiary_name: string;
  beneficiary_representative: string;
  beneficiary_bank_code: string;
  beneficiary_branch_code: string;
  beneficiary_account_number: string;
  beneficiary_rib_key: string;
  beneficiary_iban: string;
  beneficiary_signatory: string | null;
  beneficiary_signed_on: DateColumn | null;
  registered_ceiling: MoneyColumn;
  registered_duration_months: number;
  ceiling: MoneyColumn;
  duration_months: number;
  expense_categories: string;
  budget_fonds_de_concours: string | null;
  budget_programme: string | null;
  budget_bop: string | null;
  effective_on: DateColumn | null;
  ends_on: DateColumn | null;
  amendments_count: number;
  closed_on: DateColumn | null;
  closure_statement: number | null;
  terminated_on: DateColumn | null;
  termination_reason: string | null;
  termination_at_fault: string | null;
  settled_on: DateColumn | null;
  registered_at: string;
  last_revision: number;
  last_position: number;
}

/** Tranche schedules: version 0 is the registered one, version n the one amendment n put in force. */
export interface TranchesTable {
  convention_id: string;
  terms_version: number;
  number: number;
  amount: MoneyColumn;
  release_on: 'signature' | 'consumption';
  threshold: MoneyColumn | null;
}

export interface AmendmentsTable {
  convention_id: string;
  number: number;
  signed_on: DateColumn;
  funder_signatory: string;
  beneficiary_signatory: string;
  changes: string;
  ceiling: MoneyColumn;
  duration_months: number;
  ends_on: DateColumn;
  position: number;
}

export interface ExpensesTable {
  convention_id: string;
  expense_id: string;
  category: string;
  description: string;
  contract: string | null;
  amount: MoneyColumn;
  state: 'committed' | 'service-done' | 'paid' | 'accepted' | 'rejected';
  committed_on: DateColumn;
  service_done_on: DateColumn | null;
  paid_on: DateColumn | null;
  accepted_on: DateColumn | null;
  rejected_on: DateColumn | null;
  rejection_reason: string | null;
  rejected_at_step: string | null;
  position: number;
}

export type MoneyFactKind = 'tranche-due' | 'tranche-payment' | 'restitution-due' | 'owed-to-beneficiary' | 'restitution-payment';

/** Every dated money fact an as-of balance needs, one row per fact. */
export interface MoneyFactsTable {
  convention_id: string;
  position: number;
  kind: MoneyFactKind;
  occurred_on: DateColumn;
  amount: MoneyColumn;
  tranche: number | null;
  cause: string | null;
  payment_id: string | null;
  reference: string | null;
}

export interface FundCallsTable {
  convention_id: string;
  tranche: number;
  statement_number: number;
  issued_on: DateColumn;
  statement_cumulative_total: MoneyColumn;
  position: number;
}

export interface StatementsTable {
  convention_id: string;
  number: number;
  cutoff: DateColumn;
  final: number;
  total: MoneyColumn;
  cumulative_total: MoneyColumn;
  line_count: number;
  drawn_up_at: string;
  position: number;
}

export interface StatementLinesTable {
  convention_id: string;
  statement_number: number;
  line_number: number;
  expense_id: string;
  category: string;
  description: string;
  amount: MoneyColumn;
  committed_on: DateColumn;
  service_done_on: DateColumn;
  paid_on: DateColumn;
}

export interface StatementSignaturesTable {
  convention_id: string;
  statement_number: number;
  signed_as: 'authorizing-officer' | 'public-accountant';
  signatory: string;
  subject: string;
  signed_on: DateColumn;
  position: number;
}

export interface EventHistoryTable {
  position: number;
  convention_id: string;
  revision: number;
  event_id: string;
  type: string;
  schema_version: number;
  data: string;
  recorded_at: string;
  actor_subject: string;
  actor_roles: string;
  request_id: string | null;
  correlation_id: string | null;
  causation_id: string | null;
  idempotency_key: string | null;
}

/** Current figures per convention (the balance with no asOf), refreshed whenever it changes. */
export interface BalancesTable {
  convention_id: string;
  status: string;
  ceiling: MoneyColumn;
  committed: MoneyColumn;
  service_done: MoneyColumn;
  paid: MoneyColumn;
  consumed: MoneyColumn;
  rejected: MoneyColumn;
  called: MoneyColumn;
  due: MoneyColumn;
  received: MoneyColumn;
  outstanding: MoneyColumn;
  remaining_ceiling: MoneyColumn;
  restitution_due: MoneyColumn;
  restitution_paid: MoneyColumn;
  restitution_outstanding: MoneyColumn;
  owed_to_beneficiary: MoneyColumn;
  expenses_count: number;
  statements_count: number;
  last_position: number;
}

export interface BalanceTranchesTable {
  convention_id: string;
  number: number;
  amount: MoneyColumn;
  status: 'scheduled' | 'due' | 'partially-paid' | 'paid';
  paid: MoneyColumn;
}

/** One row per indicator, so adding an indicator never changes the DDL. */
export interface StatsTable {
  indicator: string;
  /** Counts and money alike are held as exact decimal text. */
  value: string;
}

export interface ProjectionCheckpointsTable {
  projection: string;
  position: number;
  updated_at: string;
}

export interface ReadModelTables {
  rm_conventions: ConventionsTable;
  rm_tranches: TranchesTable;
  rm_amendments: AmendmentsTable;
  rm_expenses: ExpensesTable;
  rm_money_facts: MoneyFactsTable;
  rm_fund_calls: FundCallsTable;
  rm_statements: StatementsTable;
  rm_statement_lines: StatementLinesTable;
  rm_statement_signatures: StatementSignaturesTable;
  rm_event_history: EventHistoryTable;
  rm_balances: BalancesTable;
  rm_balance_tranches: BalanceTranchesTable;
  rm_stats: StatsTable;
  projection_checkpoints: ProjectionCheckpointsTable;
  read_model_schema_version: ReadModelSchemaVersionTable;
}

/** One row: the layout version the read-model tables were created with. */
export interface ReadModelSchemaVersionTable {
  id: number;
  version: number;
}
