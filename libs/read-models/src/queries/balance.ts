import type { Kysely } from 'kysely';
import { formatMoney, maxMoney, minMoney, money, sum, ZERO, type Money } from '@cl/domain';
import type {
  AmendmentsTable, ConventionsTable, ExpensesTable, MoneyFactsTable, ReadModelTables, TranchesTable,
} from '../database/read-model-tables';
import { amendmentInForce, knownAsOf, statusAsOf, termsVersionOf } from './as-of';

export type ConventionStatus = ConventionsTable['status'];
export type TrancheStatus = 'scheduled' | 'due' | 'partially-paid' | 'paid';

export interface TrancheBalance {
  number: number;
  amount: string;
  status: TrancheStatus;
  paid: string;
}

export interface RestitutionBalance {
  due: string;
  paid: string;
  outstanding: string;
  /** Present once the convention is terminated (X1): the funder's due participation. */
  dueParticipation?: string;
  /** Present once the convention is terminated (X1): what the funder still owes. */
  owedToBeneficiary?: string;
}

export interface Balance {
  conventionId: string;
  asOf: string | null;
  status: ConventionStatus;
  ceiling: string;
  committed: string;
  serviceDone: string;
  paid: string;
  consumed: string;
  rejected: string;
  called: string;
  due: string;
  received: string;
  outstanding: string;
  remainingCeiling: string;
  tranches: TrancheBalance[];
  restitution: RestitutionBalance;
}

/** Every row a balance is computed from, whatever the date asked. */
export interface BalanceFacts {
  convention: Pick<ConventionsTable, 'convention_id' | 'registered_ceiling' | 'effective_on' | 'closed_on' | 'terminated_on' | 'settled_on'>;
  amendments: Pick<AmendmentsTable, 'number' | 'signed_on' | 'ceiling'>[];
  tranches: Pick<TranchesTable, 'terms_version' | 'number' | 'amount'>[];
  expenses: Pick<ExpensesTable, 'amount' | 'committed_on' | 'service_done_on' | 'paid_on' | 'accepted_on' | 'rejected_on'>[];
  moneyFacts: Pick<MoneyFactsTable, 'kind' | 'occurred_on' | 'amount' | 'tranche' | 'cause'>[];
}

export async function loadBalanceFacts(db: Kysely<ReadModelTables>, conventionId: string): Promise<BalanceFacts | undefined> {
  const convention = await db
    .selectFrom('rm_conventions')
    .select(['convention_id', 'registered_ceiling', 'effective_on', 'closed_on', 'terminated_on', 'settled_on'])
    .where('convention_id', '=', conventionId)
    .executeTakeFirst();
  if (!convention) return undefined;
  // Sequential on purpose: inside a projection transaction there is a single connection.
  const amendments = await db.selectFrom('rm_amendments').select(['number', 'signed_on', 'ceiling'])
    .where('convention_id', '=', conventionId).orderBy('number').execute();
  const tranches = await db.selectFrom('rm_tranches').select(['terms_version', 'number', 'amount'])
    .where('convention_id', '=', conventionId).orderBy('terms_version').orderBy('number').execute();
  const expenses = await db.selectFrom('rm_expenses')
    .select(['amount', 'committed_on', 'service_done_on', 'paid_on', 'accepted_on', 'rejected_on'])
    .where('convention_id', '=', conventionId).execute();
  const moneyFacts = await db.selectFrom('rm_money_facts').select(['kind', 'occurred_on', 'amount', 'tranche', 'cause'])
    .where('convention_id', '=', conventionId).orderBy('position').execute();
  return { convention, amendments, tranches, expenses, moneyFacts };
}

/**
 * The balance as of a business date, or the current one when asOf is undefined: one code path,
 * so "current" is exactly "as of the end of time". A fact counts when its business date is on
 * or before asOf; recording time plays no part (M2).
 */
export function balanceAsOf(facts: BalanceFacts, asOf?: string): Balance {
  const known = knownAsOf(asOf);
  const total = (amounts: Iterable<string>): Money => sum([...amounts].map((amount) => money(amount)));
  const text = (value: Money) => formatMoney(value);

  const { convention } = facts;
  const status = statusAsOf(convention, known);

  const amendment = amendmentInForce(facts.amendments, known);
  const ceiling = money(amendment?.ceiling ?? convention.registered_ceiling);
  const termsVersion = termsVersionOf(amendment);

  const liveExpenses = facts.expenses.filter((expense) => !known(expense.rejected_on));
  const reached = (step: 'committed_on' | 'service_done_on' | 'paid_on' | 'accepted_on') =>
    total(liveExpenses.filter((expense) => known(expense[step])).map((expense) => expense.amount));

  const factsOf = (kind: MoneyFactsTable['kind']) =>
    facts.moneyFacts.filter((fact) => fact.kind === kind && known(fact.occurred_on));
  const dueFacts = factsOf('tranche-due');
  const payments = factsOf('tranche-payment');
  const paidOn = (tranche: number) => total(payments.filter((fact) => fact.tranche === tranche).map((fact) => fact.amount));
  const dueTranches = new Set(dueFacts.map((fact) => fact.tranche));
  // After a termination the funder may pay what it owes on a tranche that never fell due (X1):
  // that payment makes the part it pays due, so `outstanding` never goes below zero.
  const settledWithoutDue = [...new Set(payments.map((fact) => fact.tranche))].filter((tranche) => !dueTranches.has(tranche));
  const due = total(dueFacts.map((fact) => fact.amount)).plus(sum(settledWithoutDue.map((tranche) => paidOn(tranche!))));
  const received = total(payments.map((fact) => fact.amount));

  const tranches = facts.tranches
    .filter((tranche) => tranche.terms_version === termsVersion)
    .map((tranche): TrancheBalance => {
      const amount = money(tranche.amount);
      const paid = paidOn(tranche.number);
      const trancheStatus: TrancheStatus = paid.greaterThanOrEqualTo(amount) ? 'paid'
        : paid.greaterThan(ZERO) ? 'partially-paid'
        : dueTranches.has(tranche.number) ? 'due'
        : 'scheduled';
      return { number: tranche.number, amount: text(amount), status: trancheStatus, paid: text(paid) };
    });

  const restitutionPaid = total(factsOf('restitution-payment').map((fact) => fact.amount));
  let restitutionDue: Money;
  let termination: Pick<RestitutionBalance, 'dueParticipation' | 'owedToBeneficiary'> = {};
  if (known(convention.terminated_on)) {
    // X1, recomputed rather than read from the termination event: an expense rejected after the
    // termination lowers the due participation, and the funder's later payments lower what it owes.
    const terminatedOn = convention.terminated_on;
    const serviceDoneByTermination = liveExpenses.filter((expense) => expense.service_done_on !== null && expense.service_done_on <= terminatedOn);
    const dueParticipation = minMoney(ceiling, total(serviceDoneByTermination.map((expense) => expense.amount)));
    restitutionDue = maxMoney(ZERO, received.minus(dueParticipation));
    termination = { dueParticipation: text(dueParticipation), owedToBeneficiary: text(maxMoney(ZERO, dueParticipation.minus(received))) };
  } else {
    restitutionDue = total(factsOf('restitution-due').map((fact) => fact.amount));
  }
  const restitution: RestitutionBalance = {
    due: text(restitutionDue),
    paid: text(restitutionPaid),
    outstanding: text(restitutionDue.minus(restitutionPaid)),
    ...termination,
  };

  return {
    conventionId: convention.convention_id,
    asOf: asOf ?? null,
    status,
    ceiling: text(ceiling),
    committed: text(reached('committed_on')),
    serviceDone: text(reached('service_done_on')),
    paid: text(reached('paid_on')),
    consumed: text(reached('accepted_on')),
    rejected: text(total(facts.expenses.filter((expense) => known(expense.rejected_on)).map((expense) => expense.amount))),
    called: text(total(dueFacts.filter((fact) => fact.cause === 'fund-call').map((fact) => fact.amount))),
    due: text(due),
    received: text(received),
    outstanding: text(due.minus(received)),
    remainingCeiling: text(ceiling.minus(received)),
    tranches,
    restitution,
  };
}

export async function readBalance(db: Kysely<ReadModelTables>, conventionId: string, asOf?: string): Promise<Balance | undefined> {
  const facts = await loadBalanceFacts(db, conventionId);
  return facts && balanceAsOf(facts, asOf);
}
