import { businessDayOf } from './clock';

describe('M4: today is the calendar day in Europe/Paris', () => {
  it.each([
    // Winter (UTC+1): 23:30 UTC on the last day of November is already 1 December in Paris.
    ['2026-11-30T23:30:00.000Z', '2026-12-01'],
    ['2026-11-30T22:59:59.999Z', '2026-11-30'],
    ['2026-11-30T23:00:00.000Z', '2026-12-01'],
    // Summer (UTC+2): midnight in Paris is 22:00 UTC the day before.
    ['2026-06-30T21:59:59.999Z', '2026-06-30'],
    ['2026-06-30T22:00:00.000Z', '2026-07-01'],
    // New year, and a day with a clock change (2026-03-29, 02:00 → 03:00).
    ['2026-12-31T23:00:00.000Z', '2027-01-01'],
    ['2026-03-29T00:30:00.000Z', '2026-03-29'],
    ['2026-03-28T23:30:00.000Z', '2026-03-29'],
    // Before 1911 Paris kept its mean time, UTC+0:09:21: its days started on a whole second only.
    ['1900-01-01T23:50:38.999Z', '1900-01-01'],
    ['1900-01-01T23:50:39.000Z', '1900-01-02'],
  ])('%s is %s', (instant, day) => {
    expect(businessDayOf(new Date(instant))).toBe(day);
  });
});

describe('businessDayOf asked again and again (it remembers the last second asked)', () => {
  it('answers each instant, in the same second as the last one asked or not, in any order', () => {
    const asked = ['2026-11-30T22:59:59.001Z', '2026-11-30T22:59:59.999Z', '2026-11-30T23:00:00.000Z', '2026-11-30T22:59:59.500Z', '2026-11-30T23:00:00.999Z'];
    expect(asked.map((instant) => businessDayOf(new Date(instant)))).toEqual(['2026-11-30', '2026-11-30', '2026-12-01', '2026-11-30', '2026-12-01']);
  });
});
