import type { BusinessDate } from './dates';
import { type Money, ZERO, maxMoney, minMoney, sum } from './money';

/**
 * The one definition of a convention's figures (C1, X1, R1, R2, P1, E4), as of a business date
 * or now. The command side, the balance read model, `?asOf` and `/stats` all compute them here,
 * each from its own storage turned into these plain facts.
 *
 * A fact counts as of D when its business date is on or before D; recording time plays no part.
 */
export interface LedgerFacts {
  effectiveOn?: BusinessDate;
  /** The terms timeline: the registered terms first (no `from`), then each amendment from its date (A3). */
  terms: readonly TermsFacts[];
  expenses: readonly ExpenseFacts[];
  tranchesDue: readonly { tranche: number; amount: Money; on: BusinessDate; cause: 'signature' | 'fund-call' }[];
  tranchePayments: readonly { tranche: number; amount: Money; on: BusinessDate }[];
  settlementPayments: readonly { amount: Money; on: BusinessDate }[];
  restitutions: readonly { amount: Money; on: BusinessDate }[];
  closedOn?: BusinessDate;
  /** `figuresFinal`: a termination recorded before v2, whose figures were final at once (no liquidation then). */
  termination?: { decidedOn: BusinessDate; effectiveOn: BusinessDate; figuresFinal?: boolean };
  /** The days on which a final statement became valid (its later signature): ends X1's provisional figures. */
  finalStatementsValidOn: readonly BusinessDate[];
}

export interface TermsFacts {
  from?: BusinessDate;
  ceiling: Money;
  tranches: readonly { number: number; amount: Money }[];
}

export interface ExpenseFacts {
  amount: Money;
  committedOn: BusinessDate;
  serviceDoneOn?: BusinessDate;
  paidOn?: BusinessDate;
  acceptedOn?: BusinessDate;
  rejectedOn?: BusinessDate;
}

export type FiguresStatus = 'draft' | 'active' | 'closed' | 'terminated' | 'settled';
export type TrancheFigureStatus = 'scheduled' | 'due' | 'partially-paid' | 'paid' | 'lapsed';

export interface TrancheFigures {
  number: number;
  amount: Money;
  status: TrancheFigureStatus;
  paid: Money;
}

export interface OwedFigures {
  due: Money;
  paid: Money;
  outstanding: Money;
}

export interface Figures {
  status: FiguresStatus;
  ceiling: Money;
  committed: Money;
  serviceDone: Money;
  paid: Money;
  consumed: Money;
  rejected: Money;
  called: Money;
  due: Money;
  received: Money;
  outstanding: Money;
  remainingCeiling: Money;
  tranches: TrancheFigures[];
  /** C1/X1: present once the convention has ended (closed or terminated). */
  participation?: Money;
  /** X1: a terminated convention's figures until a valid final statement exists. */
  provisional: boolean;
  restitution: OwedFigures;
  owedToBeneficiary: OwedFigures;
}

const total = (amounts: Iterable<Money>) => sum(amounts);

/**
 * A3: the terms in force on a date (the latest whose date is on or before it); without a date,
 * the terms in force now, i.e. the latest (amendments follow one another in date order, A1).
 */
export function termsOn<T extends { from?: BusinessDate }>(terms: readonly T[], on: BusinessDate | undefined): T {
  if (on === undefined) return terms[terms.length - 1];
  let inForce = terms[0];
  for (const t of terms) if (t.from === undefined || t.from <= on) inForce = t;
  return inForce;
}

/**
 * The figures as of a business date (undefined: everything recorded). The formulas, exactly:
 * - committed, serviceDone, paid, consumed: non-rejected expenses that reached the step (E3, E4);
 * - received: tranche payments; settlement payments (R2) are counted apart;
 * - participation: closed, min(consumed, ceiling at closure) (C1); terminated, accepted expenses
 *   whose service was done by the effect date, capped at the ceiling then (X1);
 * - restitution due: max(0, received + settlement paid − participation);
 * - owed to the beneficiary: due max(0, participation − received), paid the settlement payments,
 *   outstanding max(0, due − paid);
 * - tranches not due at the end lapse, and so does the unpaid remainder of due ones: what is
 *   owed from then on is `owedToBeneficiary`, so `outstanding` (due − received) is 0;
 * - remainingCeiling: ceiling − received while active; after the end, what the funder may still
 *   pay, i.e. owedToBeneficiary.outstanding;
 * - settled: ended, not provisional, and nothing outstanding either way (R1).
 */
export function figuresAsOf(facts: LedgerFacts, asOf?: BusinessDate): Figures {
  const known = (date: BusinessDate | undefined): date is BusinessDate => date !== undefined && (asOf === undefined || date <= asOf);
  const terms = termsOn(facts.terms, asOf);
  const ceiling = terms.ceiling;

  const live = facts.expenses.filter((e) => !known(e.rejectedOn));
  const reached = (step: 'committedOn' | 'serviceDoneOn' | 'paidOn' | 'acceptedOn') =>
    total(live.filter((e) => known(e[step])).map((e) => e.amount));
  const consumed = reached('acceptedOn');

  const dueFacts = facts.tranchesDue.filter((d) => known(d.on));
  const payments = facts.tranchePayments.filter((p) => known(p.on));
  const received = total(payments.map((p) => p.amount));
  const paidOnTranche = (n: number) => total(payments.filter((p) => p.tranche === n).map((p) => p.amount));
  const fellDue = new Set(dueFacts.map((d) => d.tranche));

  const closed = known(facts.closedOn);
  const terminated = !closed && known(facts.termination?.effectiveOn);
  const ended = closed || terminated;

  const tranches = terms.tranches.map((t): TrancheFigures => {
    const paid = paidOnTranche(t.number);
    const status: TrancheFigureStatus = paid.greaterThanOrEqualTo(t.amount) ? 'paid'
      : paid.greaterThan(0) ? 'partially-paid'
      : ended ? 'lapsed'
      : fellDue.has(t.number) ? 'due'
      : 'scheduled';
    return { number: t.number, amount: t.amount, status, paid };
  });
  // While active a tranche is due for its amount once it fell due (or for what was paid on it,
  // which P1 keeps within it); at the end only what was paid stays due.
  const dueOf = (t: TrancheFigures) => (ended ? t.paid : maxMoney(fellDue.has(t.number) ? t.amount : ZERO, t.paid));
  const scheduled = new Set(tranches.map((t) => t.number));
  const paidOffSchedule = total(payments.filter((p) => !scheduled.has(p.tranche)).map((p) => p.amount));
  const due = total(tranches.map(dueOf)).plus(paidOffSchedule);

  const settlementPaid = total(facts.settlementPayments.filter((p) => known(p.on)).map((p) => p.amount));
  const restitutionPaid = total(facts.restitutions.filter((r) => known(r.on)).map((r) => r.amount));

  let participation: Money | undefined;
  if (closed) {
    participation = minMoney(consumed, termsOn(facts.terms, facts.closedOn).ceiling);
  } else if (terminated) {
    const effectiveOn = facts.termination!.effectiveOn;
    const liquidated = live.filter((e) => known(e.acceptedOn) && e.serviceDoneOn !== undefined && e.serviceDoneOn <= effectiveOn);
    participation = minMoney(total(liquidated.map((e) => e.amount)), termsOn(facts.terms, effectiveOn).ceiling);
  }
  const provisional = terminated && !facts.termination!.figuresFinal && !facts.finalStatementsValidOn.some(known);

  const restitutionDue = participation ? maxMoney(ZERO, received.plus(settlementPaid).minus(participation)) : ZERO;
  const owedDue = participation ? maxMoney(ZERO, participation.minus(received)) : ZERO;
  const restitution = { due: restitutionDue, paid: restitutionPaid, outstanding: maxMoney(ZERO, restitutionDue.minus(restitutionPaid)) };
  const owedToBeneficiary = { due: owedDue, paid: settlementPaid, outstanding: maxMoney(ZERO, owedDue.minus(settlementPaid)) };

  const settled = ended && !provisional && restitution.outstanding.isZero() && owedToBeneficiary.outstanding.isZero();
  const status: FiguresStatus = !known(facts.effectiveOn) ? 'draft'
    : settled ? 'settled'
    : closed ? 'closed'
    : terminated ? 'terminated'
    : 'active';

  return {
    status,
    ceiling,
    committed: reached('committedOn'),
    serviceDone: reached('serviceDoneOn'),
    paid: reached('paidOn'),
    consumed,
    rejected: total(facts.expenses.filter((e) => known(e.rejectedOn)).map((e) => e.amount)),
    called: total(dueFacts.filter((d) => d.cause === 'fund-call').map((d) => d.amount)),
    due,
    received,
    outstanding: due.minus(received),
    remainingCeiling: ended ? owedToBeneficiary.outstanding : ceiling.minus(received),
    tranches,
    ...(participation ? { participation } : {}),
    provisional,
    restitution,
    owedToBeneficiary,
  };
}
