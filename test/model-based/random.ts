import Decimal from 'decimal.js';
import type { BusinessDate, Money } from '@cl/domain';

/**
 * A small seeded generator (mulberry32): the same seed gives the same scenario on every machine,
 * which is what makes a failure replayable with MODEL_SEED=<seed>. Math.random is never used.
 */
export class Random {
  private state: number;

  constructor(readonly seed: number) {
    this.state = seed >>> 0;
  }

  /** Uniform in [0, 1). */
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** Integer in [min, max], both included. */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  chance(probability: number): boolean {
    return this.next() < probability;
  }

  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new Error('pick from an empty list');
    return items[this.int(0, items.length - 1)];
  }

  /** Picks a key with probability proportional to its weight (weights ≤ 0 are never picked). */
  weighted<K extends string>(weights: Partial<Record<K, number>>): K {
    const entries = (Object.entries(weights) as [K, number][]).filter(([, weight]) => weight > 0);
    const total = entries.reduce((acc, [, weight]) => acc + weight, 0);
    let roll = this.next() * total;
    for (const [key, weight] of entries) {
      roll -= weight;
      if (roll < 0) return key;
    }
    return entries[entries.length - 1][0];
  }

  /**
   * A random amount of money between two amounts, on whole cents. The draw is made on a
   * Decimal count of cents (never a float amount): floor(u × span) with span an exact integer.
   */
  moneyBetween(min: Money, max: Money): Money {
    const minCents = min.times(100);
    const span = max.times(100).minus(minCents);
    if (span.isNegative()) return min;
    const offset = new Decimal(this.next()).times(span.plus(1)).floor();
    return minCents.plus(Decimal.min(offset, span)).dividedBy(100);
  }

  /** An amount from whole euros and cents drawn as integers, built as text then parsed. */
  moneyFromParts(maxEuros: number): Money {
    const euros = this.int(0, maxEuros);
    const cents = this.int(euros === 0 ? 1 : 0, 99);
    return new Decimal(`${euros}.${String(cents).padStart(2, '0')}`);
  }
}

/**
 * A generator whose first draws are given (fast-check's choice list, which it can shrink and
 * replay by seed and path), then those of the seed's generator: a shorter list is a simpler story.
 */
export class ChoiceRandom extends Random {
  private index = 0;

  constructor(private readonly choices: readonly number[], seed: number) {
    super(seed);
  }

  /** Each choice is an unsigned 32-bit integer, read as a fraction of 2^32. */
  override next(): number {
    if (this.index < this.choices.length) return this.choices[this.index++] / 4294967296;
    return super.next();
  }
}

// ---- Business dates: calendar arithmetic on day numbers (dates, never money). ----

const MS_PER_DAY = 86_400_000;

export function addDays(date: BusinessDate, days: number): BusinessDate {
  const [year, month, day] = date.split('-').map(Number);
  return new Date(Date.UTC(year, month - 1, day) + days * MS_PER_DAY).toISOString().slice(0, 10);
}

export function daysBetween(from: BusinessDate, to: BusinessDate): number {
  const time = (date: BusinessDate) => {
    const [year, month, day] = date.split('-').map(Number);
    return Date.UTC(year, month - 1, day);
  };
  return Math.round((time(to) - time(from)) / MS_PER_DAY);
}

export const minDateOf = (dates: readonly BusinessDate[]): BusinessDate => [...dates].sort()[0];
export const maxDateOf = (dates: readonly BusinessDate[]): BusinessDate => [...dates].sort().at(-1)!;

/** Not calendar dates (M2): the domain must refuse them. */
export const INVALID_DATES: readonly string[] = ['2021-02-30', '2020-13-01', '2021-04-31', '20-05-11', ''];
