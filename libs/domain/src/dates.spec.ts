import { addMonths, isBusinessDate } from './dates';

describe('M2: business dates are validated calendar dates', () => {
  it.each(['2021-02-30', '2021-13-01', '2021-00-10', '2021-1-01', '20210101', '', '2021-02-29'])('M2: refuses %j', (text) => {
    expect(isBusinessDate(text)).toBe(false);
  });

  it.each(['2020-02-29', '2021-02-28', '2020-05-11', '2021-12-31'])('M2: accepts %j', (text) => {
    expect(isBusinessDate(text)).toBe(true);
  });
});

describe('M3: N months from a date, clamped to the end of the month', () => {
  it.each([
    ['2023-01-31', 1, '2023-02-28'],
    ['2023-01-31', 12, '2024-01-31'],
    ['2020-05-11', 12, '2021-05-11'],
    ['2024-02-29', 12, '2025-02-28'],
    ['2024-01-31', 1, '2024-02-29'],
    ['2020-11-30', 3, '2021-02-28'],
  ] as const)('M3: %s + %i months = %s', (from, months, expected) => {
    expect(addMonths(from, months)).toBe(expected);
  });
});
