import type { BusinessDate, ConventionEvent } from '@cl/domain';
import { addDays } from './random';

const DATE = /^[0-9]{4}-[0-9]{2}-[0-9]{2}$/;

/** Every business date a value carries, wherever it sits (event payloads: dates are 'YYYY-MM-DD' strings). */
export function datesIn(value: unknown, into: Set<BusinessDate> = new Set()): Set<BusinessDate> {
  if (typeof value === 'string') {
    if (DATE.test(value)) into.add(value);
  } else if (Array.isArray(value)) {
    for (const item of value) datesIn(item, into);
  } else if (value !== null && typeof value === 'object') {
    for (const item of Object.values(value)) datesIn(item, into);
  }
  return into;
}

/** The business dates of a convention's facts so far: every date any of its events carries. */
export function factDatesOf(events: readonly ConventionEvent[]): BusinessDate[] {
  const dates = new Set<BusinessDate>();
  for (const e of events) datesIn(e.data, dates);
  return [...dates].sort();
}

/**
 * The dates at which "as of" figures matter: every distinct fact date, and the day before each
 * (where the fact is not known yet).
 */
export function datesThatMatter(factDates: Iterable<BusinessDate>): BusinessDate[] {
  const dates = new Set<BusinessDate>();
  for (const date of factDates) dates.add(date).add(addDays(date, -1));
  return [...dates].sort();
}

export const latestDateOf = (dates: Iterable<BusinessDate>): BusinessDate | undefined => [...dates].sort().at(-1);
