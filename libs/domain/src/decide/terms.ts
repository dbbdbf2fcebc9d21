import type { TrancheRequest } from '../commands';
import { ErrorCodes } from '../error-codes';
import { invalid, refuse } from '../errors';
import type { TrancheTerms } from '../events';
import { type Money, formatMoney, sum } from '../money';
import type { TrancheReleaseTerms } from '../state';
import { requireAmount, requireMoney } from './guards';

/** The terms of one tranche as decide() reasons about them, before they become event text. */
export interface TrancheDraft {
  number: number;
  amount: Money;
  release: TrancheReleaseTerms;
}

/** Shape checks (kind 'invalid'); the schedule's coherence is checked by checkSchedule. */
export function readTrancheRequests(requests: unknown, firstNumber: number, field = 'tranches'): TrancheDraft[] {
  if (!Array.isArray(requests)) throw invalid(ErrorCodes.MALFORMED_COMMAND, 'T3', `${field} must be a list.`, { field });
  return requests.map((request: TrancheRequest, index) => {
    const at = `${field}[${index}]`;
    const amount = requireAmount(request?.amount, `${at}.amount`, 'T3');
    const release = request?.release;
    if (release?.on === 'signature') return { number: firstNumber + index, amount, release: { on: 'signature' } };
    if (release?.on === 'consumption') {
      const threshold = requireMoney(release.threshold, `${at}.release.threshold`);
      return { number: firstNumber + index, amount, release: { on: 'consumption', threshold } };
    }
    throw invalid(ErrorCodes.MALFORMED_COMMAND, 'T3', `${at}.release must be {on: "signature"} or {on: "consumption", threshold}.`, { field: `${at}.release` });
  });
}

/**
 * T3: at-signature tranches come before those released on consumption. Tranches are called in
 * order (F1), so this keeps the due tranches a prefix of the schedule, which is what lets an
 * amendment renumber only what follows them (A2).
 */
export function checkSignatureTranchesFirst(tranches: readonly TrancheDraft[], rule: string): void {
  const firstOnConsumption = tranches.findIndex((t) => t.release.on === 'consumption');
  if (firstOnConsumption === -1) return;
  const late = tranches.slice(firstOnConsumption).find((t) => t.release.on === 'signature');
  if (late) {
    throw refuse(ErrorCodes.TRANCHES_OUT_OF_ORDER, rule,
      `Tranche ${late.number} is released at signature but follows a tranche released on consumption; list at-signature tranches first.`,
      { tranche: late.number });
  }
}

/** T3: thresholds strictly increase within (0, ceiling]; amounts sum to the ceiling. */
export function checkSchedule(tranches: readonly TrancheDraft[], ceiling: Money, rule: string): void {
  if (tranches.length === 0) {
    throw refuse(ErrorCodes.NO_TRANCHES, rule, 'A convention needs at least one tranche.');
  }
  let previous: Money | undefined;
  for (const t of tranches) {
    if (t.release.on !== 'consumption') continue;
    const threshold = t.release.threshold;
    if (!threshold.greaterThan(0) || threshold.greaterThan(ceiling)) {
      throw refuse(ErrorCodes.THRESHOLD_OUT_OF_RANGE, rule,
        `Tranche ${t.number}: its threshold ${formatMoney(threshold)} must be above zero and at most the ceiling ${formatMoney(ceiling)}.`,
        { tranche: t.number, threshold: formatMoney(threshold), ceiling: formatMoney(ceiling) });
    }
    if (previous && !threshold.greaterThan(previous)) {
      throw refuse(ErrorCodes.THRESHOLDS_NOT_INCREASING, rule,
        `Tranche ${t.number}: its threshold ${formatMoney(threshold)} must be above the previous one, ${formatMoney(previous)}.`,
        { tranche: t.number, threshold: formatMoney(threshold), previous: formatMoney(previous) });
    }
    previous = threshold;
  }
  const total = sum(tranches.map((t) => t.amount));
  if (!total.equals(ceiling)) {
    throw refuse(ErrorCodes.TRANCHES_DO_NOT_SUM_TO_CEILING, rule,
      `The tranches sum to ${formatMoney(total)} but the ceiling is ${formatMoney(ceiling)}.`,
      { tranchesTotal: formatMoney(total), ceiling: formatMoney(ceiling) });
  }
}

export function toTrancheTerms(t: TrancheDraft): TrancheTerms {
  return {
    number: t.number,
    amount: formatMoney(t.amount),
    release: t.release.on === 'consumption' ? { on: 'consumption', threshold: formatMoney(t.release.threshold) } : { on: 'signature' },
  };
}
