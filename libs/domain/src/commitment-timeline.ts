import type { BusinessDate } from './dates';
import { MONEY_BOUND, type Money, ZERO } from './money';
import type { ExpenseState } from './state';

interface OnDate {
  /** Amounts of the expenses committed on the date. */
  committed: Money;
  /** How many expenses were committed on it. */
  commitments: number;
  /** Amounts of the rejected expenses that stop counting on the date (the later of commitment and rejection, E3). */
  released: Money;
}

/**
 * Above this, the sums of a timeline might not be exact in decimal.js (20 significant digits),
 * where the direct sum of the counted expenses still is: the timeline then declines to answer.
 * No real convention comes near it (each amount is below 10^15, M1).
 */
const EXACT_BELOW: Money = MONEY_BOUND.times(100);

/**
 * E4: how the committed total moves with the business date, per date: what was committed that
 * day and what a rejection took out of it. Derived from a convention's expenses (never stored),
 * so that "committed as of t" costs the number of distinct dates instead of a sum over every
 * expense. The fold keeps it up to date as expenses change (evolve.ts); readers only read it.
 */
export class CommitmentTimeline {
  private constructor(
    private readonly dates: Map<BusinessDate, OnDate>,
    /** Every amount ever added: bounds every partial sum, for EXACT_BELOW. */
    private everAdded: Money,
  ) {}

  static of(expenses: Iterable<ExpenseState>): CommitmentTimeline {
    const timeline = new CommitmentTimeline(new Map(), ZERO);
    for (const e of expenses) timeline.replace(undefined, e);
    return timeline;
  }

  /** A copy to change (the fold's private one). */
  copy(): CommitmentTimeline {
    return new CommitmentTimeline(new Map(this.dates), this.everAdded);
  }

  /** One expense changed (or appeared: `before` undefined). Only on a copy no reader has yet. */
  replace(before: ExpenseState | undefined, after: ExpenseState): void {
    if (before && before.amount.equals(after.amount) && before.committedOn === after.committedOn && before.rejection?.on === after.rejection?.on) return;
    if (before) this.count(before, -1);
    this.count(after, 1);
  }

  /**
   * The sum of the expenses committed by t and not rejected by t (ceiling.ts, committedAsOf), or
   * undefined when it could not be exact here.
   */
  committedAsOf(t: BusinessDate): Money | undefined {
    if (!this.everAdded.lessThan(EXACT_BELOW)) return undefined;
    let total = ZERO;
    for (const [date, { committed, released }] of this.dates) {
      if (date <= t) total = total.plus(committed).minus(released);
    }
    return total;
  }

  /** Every date on which an expense was committed, each once. */
  commitmentDates(): BusinessDate[] {
    const dates: BusinessDate[] = [];
    for (const [date, { commitments }] of this.dates) if (commitments > 0) dates.push(date);
    return dates;
  }

  private count(e: ExpenseState, sign: 1 | -1): void {
    const amount = sign === 1 ? e.amount : e.amount.negated();
    this.change(e.committedOn, (d) => ({ ...d, committed: d.committed.plus(amount), commitments: d.commitments + sign }));
    if (e.rejection) {
      const releasedOn = e.rejection.on > e.committedOn ? e.rejection.on : e.committedOn;
      this.change(releasedOn, (d) => ({ ...d, released: d.released.plus(amount) }));
    }
    if (sign === 1) this.everAdded = this.everAdded.plus(e.rejection ? e.amount.times(2) : e.amount);
  }

  private change(date: BusinessDate, update: (d: OnDate) => OnDate): void {
    const next = update(this.dates.get(date) ?? { committed: ZERO, commitments: 0, released: ZERO });
    if (next.commitments === 0 && next.committed.isZero() && next.released.isZero()) this.dates.delete(date);
    else this.dates.set(date, next);
  }
}

const timelines = new WeakMap<ReadonlyMap<string, ExpenseState>, CommitmentTimeline>();

/** The timeline of these expenses: kept by the fold that made them, else built once and remembered. */
export function commitmentTimelineOf(expenses: ReadonlyMap<string, ExpenseState>): CommitmentTimeline {
  let timeline = timelines.get(expenses);
  if (!timeline) {
    timeline = CommitmentTimeline.of(expenses.values());
    timelines.set(expenses, timeline);
  }
  return timeline;
}

/** The timeline a fold derived for the expenses it made (only before anyone reads them). */
export function rememberCommitmentTimeline(expenses: ReadonlyMap<string, ExpenseState>, timeline: CommitmentTimeline): void {
  timelines.set(expenses, timeline);
}

/** The remembered timeline of these expenses, if any (a fold copies it rather than building one). */
export const knownCommitmentTimeline = (expenses: ReadonlyMap<string, ExpenseState>): CommitmentTimeline | undefined => timelines.get(expenses);
