import type { ExpenseFacts, LedgerFacts, TermsFacts } from '@cl/domain/figures';
import type {
  BalancesTable, BalanceTranchesTable, ConventionsTable, ExpensesTable, SettlementsTable, StatementSignaturesTable, TermsTable,
} from '../database/read-model-tables';
import { validOn } from '../queries/as-of';
import {
  addMoneyFact, conventionFactsOf, expenseFactsOf, noMoneyFacts, termsFactsOf, type MoneyFactLists,
} from '../queries/ledger-facts';
import type { ReadModelTx } from './projection-context';
import { inList } from './in-list';

export interface StatementState {
  final: boolean;
  /** D2: kept for final statements only matter (their validity ends X1's provisional figures). */
  signatures: Pick<StatementSignaturesTable, 'signed_as' | 'signed_on'>[];
}

/**
 * One convention as the read models hold it, in memory: the rows a later event changes, and the
 * facts its figures are computed from (money parsed once), kept in step by the handlers. Built
 * from the tables by `loadConventionStates`, with the same row-to-fact functions as the balance
 * query (queries/ledger-facts.ts), so the figures of a state are those the query would compute.
 */
export interface ConventionState {
  readonly conventionId: string;
  /** Undefined until registered: an event of an unregistered convention only inserts its own rows. */
  convention?: ConventionsTable;
  /** By terms_version (0, then each amendment's number). */
  terms: TermsTable[];
  /** The figures' view of `terms`, with each version's schedule (same index). */
  termsFacts: TermsFacts[];
  expenses: Map<string, ExpensesTable>;
  /** The figures' view of `expenses` (same keys, commitment order). */
  expenseFacts: Map<string, ExpenseFacts>;
  moneyFacts: MoneyFactLists;
  /** By number, drawn-up order. */
  statements: Map<number, StatementState>;
  /** In position order. */
  settlements: Pick<SettlementsTable, 'kind' | 'occurred_on'>[];
  /** The stored current figures (rm_balances, rm_balance_tranches): the stats move by the difference. */
  balance?: BalancesTable;
  balanceTranches: BalanceTranchesTable[];
}

export const emptyConventionState = (conventionId: string): ConventionState => ({
  conventionId, terms: [], termsFacts: [], expenses: new Map(), expenseFacts: new Map(), moneyFacts: noMoneyFacts(),
  statements: new Map(), settlements: [], balanceTranches: [],
});

/** The facts of figures.ts for a registered convention (the same as loadLedgerFacts would read). */
export function ledgerFactsOf(state: ConventionState & { convention: ConventionsTable }): LedgerFacts {
  const finalStatementsValidOn: string[] = [];
  for (const statement of state.statements.values()) {
    const valid = statement.final ? validOn(statement.signatures) : undefined;
    if (valid !== undefined) finalStatementsValidOn.push(valid);
  }
  return {
    ...conventionFactsOf(state.convention),
    terms: state.termsFacts,
    expenses: [...state.expenseFacts.values()],
    ...state.moneyFacts,
    finalStatementsValidOn,
  };
}

/** Conventions per `in (…)` list. */
const IDS_PER_QUERY = 500;

/**
 * The states of these conventions as the tables hold them: one query per table for them all (an
 * unknown convention gets an empty state).
 */
export async function loadConventionStates(tx: ReadModelTx, conventionIds: readonly string[]): Promise<Map<string, ConventionState>> {
  const states = new Map(conventionIds.map((id) => [id, emptyConventionState(id)]));
  const of = (id: string) => states.get(id)!;
  for (let start = 0; start < conventionIds.length; start += IDS_PER_QUERY) {
    const ids = inList(conventionIds.slice(start, start + IDS_PER_QUERY));
    for (const row of await tx.selectFrom('rm_conventions').selectAll().where('convention_id', 'in', ids).execute()) {
      of(row.convention_id).convention = row;
    }
    const tranches = await tx.selectFrom('rm_tranches').select(['convention_id', 'terms_version', 'number', 'amount'])
      .where('convention_id', 'in', ids).orderBy('convention_id').orderBy('terms_version').orderBy('number').execute();
    const schedules = new Map<string, typeof tranches>();
    for (const tranche of tranches) {
      const key = `${tranche.convention_id}\u0000${tranche.terms_version}`;
      schedules.set(key, [...(schedules.get(key) ?? []), tranche]);
    }
    for (const row of await tx.selectFrom('rm_terms').selectAll().where('convention_id', 'in', ids)
      .orderBy('convention_id').orderBy('terms_version').execute()) {
      const state = of(row.convention_id);
      state.terms.push(row);
      state.termsFacts.push(termsFactsOf(row, schedules.get(`${row.convention_id}\u0000${row.terms_version}`) ?? []));
    }
    for (const row of await tx.selectFrom('rm_expenses').selectAll().where('convention_id', 'in', ids)
      .orderBy('convention_id').orderBy('position').execute()) {
      const state = of(row.convention_id);
      state.expenses.set(row.expense_id, row);
      state.expenseFacts.set(row.expense_id, expenseFactsOf(row));
    }
    for (const row of await tx.selectFrom('rm_money_facts').select(['convention_id', 'kind', 'occurred_on', 'amount', 'tranche', 'cause'])
      .where('convention_id', 'in', ids).orderBy('convention_id').orderBy('position').execute()) {
      addMoneyFact(of(row.convention_id).moneyFacts, row);
    }
    for (const row of await tx.selectFrom('rm_statements').select(['convention_id', 'number', 'final'])
      .where('convention_id', 'in', ids).orderBy('convention_id').orderBy('number').execute()) {
      of(row.convention_id).statements.set(row.number, { final: row.final === 1, signatures: [] });
    }
    for (const row of await tx.selectFrom('rm_statement_signatures').select(['convention_id', 'statement_number', 'signed_as', 'signed_on'])
      .where('convention_id', 'in', ids).execute()) {
      of(row.convention_id).statements.get(row.statement_number)?.signatures.push({ signed_as: row.signed_as, signed_on: row.signed_on });
    }
    for (const row of await tx.selectFrom('rm_settlements').select(['convention_id', 'kind', 'occurred_on'])
      .where('convention_id', 'in', ids).orderBy('convention_id').orderBy('position').execute()) {
      of(row.convention_id).settlements.push({ kind: row.kind, occurred_on: row.occurred_on });
    }
    for (const row of await tx.selectFrom('rm_balances').selectAll().where('convention_id', 'in', ids).execute()) {
      of(row.convention_id).balance = row;
    }
    for (const row of await tx.selectFrom('rm_balance_tranches').selectAll().where('convention_id', 'in', ids)
      .orderBy('convention_id').orderBy('number').execute()) {
      of(row.convention_id).balanceTranches.push(row);
    }
  }
  return states;
}
