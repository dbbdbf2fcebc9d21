import { formatReport, runLoad } from '../../bench/load';

/**
 * `npm run load` as a test (docs/reliability.md, "No lost update under load"): 100 clients on
 * loopback for 30 s against the real API process, commands over 50 conventions mixed with balance
 * queries. Only correctness is asserted, never a time: no answer but successes and rule refusals
 * (no 5xx, no reset, no 409 from retries running out), and every balance is the sum of what was
 * acknowledged. LOAD_DURATION_S shortens it for a local run.
 */
describe('load: 100 concurrent clients over 50 conventions', () => {
  it('answers every request with a success or a rule refusal, and loses no update', async () => {
    const report = await runLoad({ durationS: Number(process.env.LOAD_DURATION_S ?? 30), clients: 100, conventions: 50 });
    console.log(formatReport(report));
    expect(report.errors).toEqual({});
    expect(report.lostUpdates).toEqual([]);
    // The load did move the figures, and was read while it did.
    expect(report.acknowledged.expenses).toBeGreaterThan(0);
    expect(report.latency.balance.count).toBeGreaterThan(0);
  }, 240_000);
});
