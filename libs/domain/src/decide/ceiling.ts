import { commitmentTimelineOf } from '../commitment-timeline';
import type { BusinessDate } from '../dates';
import { type Money, sum } from '../money';
import { type RegisteredConvention, termsInForceOn } from '../state';

/**
 * E4 and P1 at every business date (A3): a committed or received amount is compared with the
 * ceiling in force on each date from its own on, not only with today's ceiling, so that an
 * amendment never makes an earlier fact legal after the event and no `asOf` balance shows more
 * than its ceiling.
 */
export interface CeilingBreach {
  date: BusinessDate;
  total: Money;
  ceiling: Money;
}

/** Committed as of t: expenses committed by t and not rejected by t (what an `asOf` balance shows). */
export function committedAsOf(convention: RegisteredConvention, t: BusinessDate): Money {
  return commitmentTimelineOf(convention.expenses).committedAsOf(t) ?? committedAsOfByExpense(convention, t);
}

/** The definition, expense by expense: what the timeline answers, and the answer where it declines. */
export function committedAsOfByExpense(convention: RegisteredConvention, t: BusinessDate): Money {
  const counted = [...convention.expenses.values()]
    .filter((e) => e.committedOn <= t && !(e.rejection && e.rejection.on <= t));
  return sum(counted.map((e) => e.amount));
}

export const receivedAsOf = (convention: RegisteredConvention, t: BusinessDate): Money =>
  sum(convention.payments.filter((p) => p.paidOn <= t).map((p) => p.amount));

/**
 * The first date from `from` on where `totalAsOf(t) + extra` exceeds the ceiling in force. The
 * total only rises on the dates of `risingOn`, and the ceiling only changes on amendment dates,
 * so those dates are the only ones to look at.
 */
export function firstCeilingBreach(
  convention: RegisteredConvention,
  from: BusinessDate,
  extra: Money,
  totalAsOf: (t: BusinessDate) => Money,
  risingOn: readonly BusinessDate[],
): CeilingBreach | undefined {
  const amendmentDates = convention.terms.map((t) => t.from).filter((d): d is BusinessDate => d !== undefined);
  const dates = [...new Set([from, ...risingOn, ...amendmentDates].filter((d) => d >= from))].sort();
  for (const date of dates) {
    const total = totalAsOf(date).plus(extra);
    const ceiling = termsInForceOn(convention, date).ceiling;
    if (total.greaterThan(ceiling)) return { date, total, ceiling };
  }
  return undefined;
}

/** The dates on which expenses were committed, each once. */
export const commitmentDates = (convention: RegisteredConvention): BusinessDate[] => commitmentTimelineOf(convention.expenses).commitmentDates();

export const paymentDates = (convention: RegisteredConvention): BusinessDate[] => convention.payments.map((p) => p.paidOn);

/** The highest committed total on any date from `from` on: the floor of a new ceiling from that date (A2). */
export function peakCommittedFrom(convention: RegisteredConvention, from: BusinessDate): Money {
  const dates = [from, ...commitmentDates(convention).filter((d) => d > from)];
  return dates.map((d) => committedAsOf(convention, d)).reduce((a, b) => (b.greaterThan(a) ? b : a));
}
