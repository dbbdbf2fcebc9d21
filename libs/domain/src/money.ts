import Decimal from 'decimal.js';

/**
 * Money is euros with at most two decimals (M1). In JSON and in stored events it is a string;
 * in code it is a Decimal. A JS number never holds an amount.
 */
export type Money = Decimal;

/** Canonical text form used in events and read models: always two decimals ("800000.00"). */
export type MoneyText = string;

/** An amount has at most 15 integer digits (M1), which is what events can store and replay. */
const MONEY_INTEGER_DIGITS = 15;

const MONEY_PATTERN = new RegExp(`^(0|[1-9][0-9]{0,${MONEY_INTEGER_DIGITS - 1}})(\\.[0-9]{1,2})?$`);

/**
 * Every amount is below this bound (10^15: the 15 integer digits MONEY_PATTERN accepts). It keeps
 * decided amounts replayable, and sums of them exact: decimal.js rounds results to 20
 * significant digits, far above what a few such amounts (17 digits each) can reach.
 */
export const MONEY_BOUND: Money = new Decimal(10).pow(MONEY_INTEGER_DIGITS);

export const ZERO: Money = new Decimal(0);

/** True when the text is a non-negative decimal with at most two places and no exponent/sign. */
export function isMoneyText(value: unknown): value is string {
  return typeof value === 'string' && MONEY_PATTERN.test(value);
}

/** Parses a money string already known to be well formed (see isMoneyText). */
export function money(value: string | Money): Money {
  if (value instanceof Decimal) return value;
  if (!isMoneyText(value)) throw new TypeError(`not a money amount: ${JSON.stringify(value)}`);
  return new Decimal(value);
}

export function formatMoney(value: Money): MoneyText {
  return value.toFixed(2);
}

export function sum(values: Iterable<Money>): Money {
  let total = ZERO;
  for (const v of values) total = total.plus(v);
  return total;
}

export function maxMoney(a: Money, b: Money): Money {
  return a.greaterThan(b) ? a : b;
}

export function minMoney(a: Money, b: Money): Money {
  return a.lessThan(b) ? a : b;
}
