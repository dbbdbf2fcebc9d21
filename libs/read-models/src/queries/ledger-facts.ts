import type { Kysely } from 'kysely';
import { money, type Money } from '@cl/domain';
import type { ExpenseFacts, LedgerFacts, TermsFacts } from '@cl/domain/figures';
import type { ConventionsTable, ExpensesTable, MoneyFactsTable, ReadModelTables, TermsTable, TranchesTable } from '../database/read-model-tables';
import { validOn } from './as-of';

const optional = (date: string | null) => date ?? undefined;

/** The money facts of the figures, one list per kind of rm_money_facts row. */
export type MoneyFactLists = {
  -readonly [List in 'tranchesDue' | 'tranchePayments' | 'settlementPayments' | 'restitutions']: LedgerFacts[List][number][];
};

export const noMoneyFacts = (): MoneyFactLists => ({ tranchesDue: [], tranchePayments: [], settlementPayments: [], restitutions: [] });

export type MoneyFactRow = Pick<MoneyFactsTable, 'kind' | 'occurred_on' | 'amount' | 'tranche' | 'cause'>;

/** Adds one rm_money_facts row to the list of its kind (rows taken in position order). */
export function addMoneyFact(lists: MoneyFactLists, fact: MoneyFactRow): void {
  const amount = money(fact.amount);
  switch (fact.kind) {
    case 'tranche-due':
      lists.tranchesDue.push({ tranche: fact.tranche!, amount, on: fact.occurred_on, cause: fact.cause === 'fund-call' ? 'fund-call' : 'signature' });
      return;
    case 'tranche-payment':
      lists.tranchePayments.push({ tranche: fact.tranche!, amount, on: fact.occurred_on });
      return;
    case 'settlement-payment':
      lists.settlementPayments.push({ amount, on: fact.occurred_on });
      return;
    case 'restitution-payment':
      lists.restitutions.push({ amount, on: fact.occurred_on });
  }
}

export type ExpenseFactRow = Pick<ExpensesTable, 'amount' | 'committed_on' | 'service_done_on' | 'paid_on' | 'accepted_on' | 'rejected_on'>;

/** One rm_expenses row as the figures see it; `amount` when already parsed. */
export const expenseFactsOf = (expense: ExpenseFactRow, amount: Money = money(expense.amount)): ExpenseFacts => ({
  amount,
  committedOn: expense.committed_on,
  serviceDoneOn: optional(expense.service_done_on),
  paidOn: optional(expense.paid_on),
  acceptedOn: optional(expense.accepted_on),
  rejectedOn: optional(expense.rejected_on),
});

/** One version of the terms (rm_terms) with its schedule (rm_tranches of that version, by number). */
export const termsFactsOf = (version: Pick<TermsTable, 'in_force_from' | 'ceiling'>, tranches: readonly Pick<TranchesTable, 'number' | 'amount'>[]): TermsFacts => ({
  ...(version.in_force_from !== null ? { from: version.in_force_from } : {}),
  ceiling: money(version.ceiling),
  tranches: tranches.map((t) => ({ number: t.number, amount: money(t.amount) })),
});

export type ConventionFactRow = Pick<ConventionsTable, 'effective_on' | 'closed_on' | 'termination_decided_on' | 'termination_effective_on' | 'termination_figures_final'>;

/** Everything of the figures' facts but the dated lists: the convention row's dates. */
export const conventionFactsOf = (convention: ConventionFactRow): Pick<LedgerFacts, 'effectiveOn' | 'closedOn' | 'termination'> => ({
  effectiveOn: optional(convention.effective_on),
  closedOn: optional(convention.closed_on),
  ...(convention.termination_decided_on !== null && convention.termination_effective_on !== null
    ? {
      termination: {
        decidedOn: convention.termination_decided_on, effectiveOn: convention.termination_effective_on,
        ...(convention.termination_figures_final ? { figuresFinal: true } : {}),
      },
    }
    : {}),
});

/**
 * The one loader of the facts the figures are computed from (figures.ts): the balance and every
 * `?asOf` status read them through it; the projector keeps the same facts in memory, built from
 * the same rows by the same functions above (projections/convention-state.ts). Undefined for an
 * unknown convention. Sequential queries on purpose: inside a transaction there is a single
 * connection.
 */
export async function loadLedgerFacts(db: Kysely<ReadModelTables>, conventionId: string): Promise<LedgerFacts | undefined> {
  const convention = await db.selectFrom('rm_conventions')
    .select(['effective_on', 'closed_on', 'termination_decided_on', 'termination_effective_on', 'termination_figures_final'])
    .where('convention_id', '=', conventionId).executeTakeFirst();
  if (!convention) return undefined;
  const terms = await db.selectFrom('rm_terms').select(['terms_version', 'in_force_from', 'ceiling'])
    .where('convention_id', '=', conventionId).orderBy('terms_version').execute();
  const tranches = await db.selectFrom('rm_tranches').select(['terms_version', 'number', 'amount'])
    .where('convention_id', '=', conventionId).orderBy('terms_version').orderBy('number').execute();
  const expenses = await db.selectFrom('rm_expenses')
    .select(['amount', 'committed_on', 'service_done_on', 'paid_on', 'accepted_on', 'rejected_on'])
    .where('convention_id', '=', conventionId).orderBy('position').execute();
  const moneyFacts = await db.selectFrom('rm_money_facts').select(['kind', 'occurred_on', 'amount', 'tranche', 'cause'])
    .where('convention_id', '=', conventionId).orderBy('position').execute();
  const finalStatements = await db.selectFrom('rm_statements').select('number')
    .where('convention_id', '=', conventionId).where('final', '=', 1).orderBy('number').execute();
  const signatures = finalStatements.length === 0 ? [] : await db.selectFrom('rm_statement_signatures')
    .select(['statement_number', 'signed_as', 'signed_on'])
    .where('convention_id', '=', conventionId).where('statement_number', 'in', finalStatements.map((s) => s.number)).execute();

  const lists = noMoneyFacts();
  for (const fact of moneyFacts) addMoneyFact(lists, fact);
  return {
    ...conventionFactsOf(convention),
    terms: terms.map((version) => termsFactsOf(version, tranches.filter((t) => t.terms_version === version.terms_version))),
    expenses: expenses.map((expense) => expenseFactsOf(expense)),
    ...lists,
    finalStatementsValidOn: finalStatements
      .map((statement) => validOn(signatures.filter((signature) => signature.statement_number === statement.number)))
      .filter((date): date is string => date !== undefined),
  };
}
