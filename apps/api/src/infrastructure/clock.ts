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

/** The last second asked for and its day: commands ask for "today" many times a second. */
let lastAsked: { second: number; day: BusinessDate } | undefined;

/**
 * M4: the calendar day an instant falls on in Europe/Paris, as a business date (YYYY-MM-DD).
 * 2026-11-30T23:30Z is already 2026-12-01 in Paris (UTC+1 in winter, UTC+2 in summer).
 * Every offset in the time zone database is a whole number of seconds, so a day in Paris starts
 * on a whole second: two instants in the same second are on the same day.
 */
export function businessDayOf(instant: Date): BusinessDate {
  const second = Math.floor(instant.getTime() / 1000);
  if (lastAsked?.second !== second) lastAsked = { second, day: parisDayOf(instant) };
  return lastAsked.day;
}

function parisDayOf(instant: Date): BusinessDate {
  const parts = Object.fromEntries(PARIS_DAY.formatToParts(instant).map((p) => [p.type, p.value]));
  return `${parts.year}-${parts.month}-${parts.day}`;
}
