import { STREAM_CACHE_LIMITS } from '../../apps/api/src/conventions/application/convention-command.executor';
import { ledgerOver } from '../support/ledger-http';
import { startTestApp, type TestApp } from '../support/test-app';

/** STREAM_CACHE_STREAMS / STREAM_CACHE_EVENTS reach the command executor (README, docs/performance.md). */
describe('the executor\'s stream cache, as configured', () => {
  let t: TestApp | undefined;
  afterEach(async () => t?.close());

  it('STREAM_CACHE_STREAMS=0 keeps no folded state: every command decides on its whole stream, with the same results', async () => {
    t = await startTestApp({ STREAM_CACHE_STREAMS: '0', STREAM_CACHE_EVENTS: '1234' });
    expect(t.app.get(STREAM_CACHE_LIMITS)).toEqual({ streams: 0, events: 1234 });
    const ledger = ledgerOver(t);
    const id = await ledger.active('NO-CACHE');
    for (const amount of ['10.01', '20.02', '30.03']) await ledger.expense(id, amount, { committed: '2020-06-01' });
    const balance = await ledger.balance(id, await ledger.headPosition());
    expect(balance).toMatchObject({ committed: '60.06' });
  });

  it('keeps the defaults when nothing is set', async () => {
    t = await startTestApp();
    expect(t.app.get(STREAM_CACHE_LIMITS)).toEqual({ streams: 10_000, events: 500_000 });
  });
});
