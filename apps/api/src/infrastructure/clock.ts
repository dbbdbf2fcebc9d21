import type { BusinessDate } from '@cl/domain';

/** The clock is injected so tests and replays control recording time. */
export interface Clock {
  now(): Date;
}

export const CLOCK = Symbol('CLOCK');

export const systemClock: Clock = { now: () => new Date() };

/** The time zone of the ledger's business calendar (M4: "today" is a day in Paris). */
export const BUSINESS_TIME_ZONE = 'Europe/Paris';

const PARIS_DAY = new Intl.DateTimeFormat('en-CA', { timeZone: BUSINESS_TIME_ZONE, year: 'numeric', month: '2-digit', day: '2-digit' });

/**
 * M4: the calendar day an instant falls on in Europe/Paris, as a business date (YYYY-MM-DD).
 * 2026-11-30T23:30Z is already 2026-12-01 in Paris (UTC+1 in winter, UTC+2 in summer).
 */
export function businessDayOf(instant: Date): BusinessDate {
  const parts = Object.fromEntries(PARIS_DAY.formatToParts(instant).map((p) => [p.type, p.value]));
  return `${parts.year}-${parts.month}-${parts.day}`;
}
