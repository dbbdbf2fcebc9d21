import type { BusinessDate } from '../dates';
import { type ConventionEvent, type ConventionSettled, type SettlementReopened, event } from '../events';
import { fold } from '../evolve';
import { formatMoney } from '../money';
import { type RegisteredConvention, figuresOf } from '../state';

/**
 * The latest business date of any fact recorded on the convention. As of it, every fact counts,
 * so the figures as of it are the figures now: a convention settled on that date stays settled
 * in every `asOf` view from then on (R1). Closure may not be dated before it either (C1).
 */
export function latestFactDate(state: RegisteredConvention): BusinessDate {
  const dates: (BusinessDate | undefined)[] = [
    state.effectiveOn, state.lastAmendedOn, state.closure?.on, state.termination?.decidedOn, state.termination?.effectiveOn,
    ...Object.values(state.signatures).map((s) => s?.signedOn),
    ...state.tranches.map((t) => t.dueOn),
    ...state.payments.map((p) => p.paidOn),
    ...state.settlementPayments.map((p) => p.paidOn),
    ...state.restitutions.map((r) => r.paidOn),
    ...state.fundCalls.map((c) => c.issuedOn),
    ...state.statements.flatMap((s) => [s.cutoff, s.drawnUpOn, ...s.signatures.map((sig) => sig.signedOn)]),
  ];
  for (const e of state.expenses.values()) dates.push(e.committedOn, e.serviceDoneOn, e.paidOn, e.acceptedOn, e.rejection?.on);
  return dates.filter((d): d is BusinessDate => d !== undefined).reduce((a, b) => (b > a ? b : a));
}

/**
 * R1: after the decided events, is the convention settled (nothing owed either way, figures
 * final)? The derived fact follows them: ConventionSettled when it became so, SettlementReopened
 * when a late rejection (E3) makes money owed again.
 */
export function withSettlement(before: RegisteredConvention, decided: ConventionEvent[], reopenedBy?: { on: BusinessDate; expenseId: string }): ConventionEvent[] {
  const after = fold(decided, before) as RegisteredConvention;
  const figures = figuresOf(after);
  const settledNow = figures.status === 'settled';
  if (settledNow && after.status !== 'settled') {
    return [...decided, event<ConventionSettled>('ConventionSettled', { on: latestFactDate(after) })];
  }
  if (!settledNow && after.status === 'settled' && reopenedBy) {
    return [...decided, event<SettlementReopened>('SettlementReopened', {
      ...reopenedBy, restitutionOutstanding: formatMoney(figures.restitution.outstanding),
    })];
  }
  return decided;
}
