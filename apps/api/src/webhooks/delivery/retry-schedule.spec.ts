import { retryDelayMs, retryPeriodOver } from './retry-schedule';

describe('retry schedule', () => {
  const config = { retryBaseDelayMs: 1_000, retryMaxDelayMs: 60_000, retryPeriodMs: 3 * 86_400_000 };

  it('doubles the wait after each failure, drawn between half and all of it (jitter), up to the maximum', () => {
    expect([1, 2, 3, 4].map((n) => retryDelayMs(n, config, () => 0))).toEqual([500, 1_000, 2_000, 4_000]);
    expect([1, 2, 3, 4].map((n) => retryDelayMs(n, config, () => 1))).toEqual([1_000, 2_000, 4_000, 8_000]);
    expect(retryDelayMs(30, config, () => 1)).toBe(60_000);
    expect(retryDelayMs(1_000, config, () => 0)).toBe(30_000);
  });

  it('below the maximum, never waits less than the wait before, whatever the draws', () => {
    // 1, 2, 4, 8, 16, 32 s: the sixth wait reaches the 60 s maximum's half.
    for (let n = 1; n < 6; n++) expect(retryDelayMs(n + 1, config, () => 0)).toBeGreaterThanOrEqual(retryDelayMs(n, config, () => 1));
  });

  it('gives up once the retry period since the first attempt is over', () => {
    const first = new Date('2026-12-01T00:00:00Z');
    expect(retryPeriodOver(first, new Date('2026-12-03T23:59:59Z'), config)).toBe(false);
    expect(retryPeriodOver(first, new Date('2026-12-04T00:00:00Z'), config)).toBe(true);
  });
});
