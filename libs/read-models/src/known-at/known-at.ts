/**
 * "What was known when" (docs/read-models.md, "What was known when"). A knownAt is a global
 * position, or an instant the events must have been recorded at or before. An instant selects,
 * in each convention's history, the events up to the first one recorded after it: always a
 * prefix of the history (the same as a position cut while clocks only move forwards, and never
 * a later fact without an earlier one if a clock stepped back).
 */
export type KnownAt = { position: number } | { recordedBy: string };

const DECIMAL_POSITION = /^(0|[1-9][0-9]{0,15})$/;
// ISO-8601 instant with its offset: date, hours and minutes, optional seconds and fraction.
const ISO_INSTANT = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,9})?)?(Z|[+-](\d{2}):(\d{2}))$/;

/** Parses `?knownAt=`: decimal digits only (no sign, exponent or leading zero), or a real instant with its offset; undefined otherwise. */
export function parseKnownAt(text: string): KnownAt | undefined {
  if (DECIMAL_POSITION.test(text)) return { position: Number(text) };
  const parts = ISO_INSTANT.exec(text);
  if (!parts) return undefined;
  const [year, month, day, hours, minutes, seconds = '00'] = parts.slice(1, 7).map((part) => part ?? '00');
  const [offsetHours, offsetMinutes] = [parts[8] ?? '00', parts[9] ?? '00'];
  // A real calendar date and clock time ('2021-02-30', '24:00', '+25:00' are refused).
  const civil = new Date(Date.UTC(Number(year), Number(month) - 1, Number(day), Number(hours), Number(minutes), Number(seconds)));
  const isReal = civil.getUTCFullYear() === Number(year) && civil.getUTCMonth() === Number(month) - 1 && civil.getUTCDate() === Number(day)
    && civil.getUTCHours() === Number(hours) && civil.getUTCMinutes() === Number(minutes) && civil.getUTCSeconds() === Number(seconds)
    && Number(offsetHours) <= 23 && Number(offsetMinutes) <= 59;
  return isReal && !Number.isNaN(Date.parse(text)) ? { recordedBy: text } : undefined;
}

/** Whether one event was recorded at or before knownAt (the prefix rule is the caller's: see knownPrefix). */
export function isKnownAt(knownAt: KnownAt): (event: { position: number; recordedAt: string }) => boolean {
  if ('position' in knownAt) return (event) => event.position <= knownAt.position;
  const limit = Date.parse(knownAt.recordedBy);
  return (event) => Date.parse(event.recordedAt) <= limit;
}

/** One convention's history in revision order, cut at knownAt: the events before the first unknown one. */
export function knownPrefix<Event extends { position: number; recordedAt: string }>(history: readonly Event[], knownAt: KnownAt): Event[] {
  const firstUnknown = history.findIndex((event) => !isKnownAt(knownAt)(event));
  return firstUnknown === -1 ? [...history] : history.slice(0, firstUnknown);
}
