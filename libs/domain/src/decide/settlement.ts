import type { BusinessDate } from '../dates';
import type { RegisteredConvention } from '../state';

/**
 * R1: the convention is settled on the date from which nothing is owed either way, which is the
 * latest business date among the facts the closing figures rest on, not merely the date of the
 * command that brought them to zero: payments are often recorded out of date order, and a
 * balance as of a date before one of them still shows money owed (docs/read-models.md, asOf).
 * Closure fixes the restitution due, so only restitutions count after it; termination figures
 * are recomputed by X1 from every tranche payment and every rejection (E3), so they count too.
 */
export function settlementDate(after: RegisteredConvention): BusinessDate {
  return latest([endingFiguresKnownOn(after), ...after.restitutions.map((r) => r.paidOn)]);
}

/**
 * The date from which the money owed at the end is known: the closure date (C1 fixes it), or
 * after a termination the latest of its date, the tranche payments and the rejections that X1
 * recomputes it from. R1: a restitution is not dated before it, so no balance as of a date
 * shows more paid back than was owed (nor money paid back before it was received).
 */
export function endingFiguresKnownOn(state: RegisteredConvention): BusinessDate {
  const dates: BusinessDate[] = [];
  if (state.closure) dates.push(state.closure.on);
  if (state.termination) {
    dates.push(state.termination.on, ...state.payments.map((p) => p.paidOn));
    for (const expense of state.expenses.values()) if (expense.rejection) dates.push(expense.rejection.on);
  }
  return latest(dates);
}

const latest = (dates: readonly BusinessDate[]): BusinessDate => dates.reduce((a, b) => (b > a ? b : a));

