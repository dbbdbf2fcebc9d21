/**
 * Business dates are calendar dates, 'YYYY-MM-DD' (M2). They are compared as text, which is
 * correct for this fixed-width format, and never go through a time zone.
 */
export type BusinessDate = string;

const DATE_PATTERN = /^(\d{4})-(\d{2})-(\d{2})$/;

export function daysInMonth(year: number, month: number): number {
  // month is 1-12; day 0 of the next month is the last day of this one.
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

export function isBusinessDate(value: unknown): value is BusinessDate {
  if (typeof value !== 'string') return false;
  const m = DATE_PATTERN.exec(value);
  if (!m) return false;
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  return year >= 1900 && month >= 1 && month <= 12 && day >= 1 && day <= daysInMonth(year, month);
}

/**
 * M3: N months after D is the same day number N months later, clamped to the month's last day.
 * 2020-05-11 + 12 = 2021-05-11; 2023-01-31 + 1 = 2023-02-28.
 */
export function addMonths(date: BusinessDate, months: number): BusinessDate {
  const m = DATE_PATTERN.exec(date);
  if (!m || !isBusinessDate(date)) throw new TypeError(`not a business date: ${date}`);
  const monthIndex = Number(m[1]) * 12 + (Number(m[2]) - 1) + months;
  const year = Math.floor(monthIndex / 12);
  const month = (monthIndex % 12) + 1;
  const day = Math.min(Number(m[3]), daysInMonth(year, month));
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

export function maxDate(a: BusinessDate, b: BusinessDate): BusinessDate {
  return a >= b ? a : b;
}
