import Decimal from 'decimal.js';
import { type BusinessDate, addMonths, isBusinessDate } from '../dates';
import { ErrorCodes } from '../error-codes';
import { invalid, notFound, refuse } from '../errors';
import { MONEY_BOUND, type Money, formatMoney } from '../money';
import { type ConventionState, type ConventionStatus, type RegisteredConvention, termsInForceOn } from '../state';

/** A convention that took effect: its period is known. */
export type EffectiveConvention = RegisteredConvention & { effectiveOn: BusinessDate; endsOn: BusinessDate };

export function requireRegistered(state: ConventionState): RegisteredConvention {
  if (state === null) throw notFound(ErrorCodes.CONVENTION_NOT_FOUND, 'No convention is registered under this id.');
  return state;
}

const STATUS_SENTENCE: Record<ConventionStatus, string> = {
  draft: 'is still a draft (it takes effect once both parties have signed)',
  active: 'is active',
  closed: 'is closed: only restitutions, settlement payments and late rejections can be recorded on it',
  terminated: 'is terminated',
  settled: 'is settled: only a late rejection can be recorded on it',
};

export function requireActive(state: ConventionState, rule: string, doing: string): EffectiveConvention {
  return requireStatus(state, ['active'], rule, doing) as EffectiveConvention;
}

export function requireStatus(state: ConventionState, allowed: ConventionStatus[], rule: string, doing: string): RegisteredConvention {
  const convention = requireRegistered(state);
  if (!allowed.includes(convention.status)) {
    throw refuse(ErrorCodes.CONVENTION_NOT_ACTIVE, rule,
      `Cannot ${doing}: the convention ${STATUS_SENTENCE[convention.status]}.`, { status: convention.status });
  }
  return convention;
}

export function requireDate(value: unknown, field: string): BusinessDate {
  if (!isBusinessDate(value)) {
    throw invalid(ErrorCodes.INVALID_DATE, 'M2', `${field} must be a calendar date YYYY-MM-DD, got ${JSON.stringify(value)}.`, { field });
  }
  return value;
}

/** M1: a Decimal with at most two places and at most 15 integer digits (what events can store). */
export function requireMoney(value: unknown, field: string): Money {
  if (!Decimal.isDecimal(value) || !value.isFinite() || value.decimalPlaces() > 2 || !value.abs().lessThan(MONEY_BOUND)) {
    throw invalid(ErrorCodes.INVALID_AMOUNT, 'M1',
      `${field} must be an amount in euros with at most two decimals, below ${formatMoney(MONEY_BOUND)}.`, { field });
  }
  return value;
}

/** M1 and > 0. */
export function requireAmount(value: unknown, field: string, rule: string): Money {
  const amount = requireMoney(value, field);
  if (!amount.greaterThan(0)) {
    throw invalid(ErrorCodes.AMOUNT_NOT_POSITIVE, rule, `${field} must be greater than zero, got ${formatMoney(amount)}.`, { field });
  }
  return amount;
}

export function requireText(value: unknown, field: string, rule: string): string {
  if (typeof value !== 'string' || value.trim() === '') {
    throw invalid(ErrorCodes.TEXT_REQUIRED, rule, `${field} is required.`, { field });
  }
  return value;
}

export function requirePositiveInteger(value: unknown, field: string, rule: string, max: number): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1 || value > max) {
    throw invalid(ErrorCodes.INVALID_DURATION, rule, `${field} must be a whole number of months from 1 to ${max}.`, { field });
  }
  return value;
}

/** M3: the end of a period of `months` from `from`; it must still be a business date (year ≤ 9999). */
export function periodEnd(from: BusinessDate, months: number, field: string): BusinessDate {
  const endsOn = addMonths(from, months);
  if (!isBusinessDate(endsOn)) {
    throw invalid(ErrorCodes.INVALID_DURATION, 'M3', `${field}: ${months} months from ${from} would end after the year 9999.`, { field });
  }
  return endsOn;
}

/** One refusal for every "this date may not precede that one" outside the expense steps. */
export function requireNotBefore(date: BusinessDate, earliest: BusinessDate, field: string, reason: string, rule: string): void {
  if (date < earliest) {
    throw refuse(ErrorCodes.DATE_TOO_EARLY, rule, `${field} ${date} is before ${earliest}, ${reason}.`,
      { field, date, notBefore: earliest });
  }
}

/** M1/E1: optional free text: absent, or non-blank. */
export function optionalText(value: unknown, field: string, rule: string): string | undefined {
  return value === undefined || value === null || value === '' ? undefined : requireText(value, field, rule);
}

/** E2, A3: a step's date lies inside the period of effect in force on that date. */
export function requireWithinPeriod(convention: EffectiveConvention, date: BusinessDate, field: string, rule = 'E2'): void {
  const endsOn = termsInForceOn(convention, date).endsOn ?? convention.endsOn;
  if (date < convention.effectiveOn || date > endsOn) {
    throw refuse(ErrorCodes.DATE_OUTSIDE_PERIOD, rule,
      `${field} ${date} is outside the period of effect, ${convention.effectiveOn} to ${endsOn}.`,
      { field, date, effectiveOn: convention.effectiveOn, endsOn });
  }
}

/** Commands name statements and tranches by number; anything else names nothing. */
export const isPositiveInteger = (value: unknown): value is number =>
  typeof value === 'number' && Number.isInteger(value) && value >= 1;
