import Decimal from 'decimal.js';
import { figuresOf, fold, type ConventionEvent, type RegisteredConvention } from '@cl/domain';
import { Projector } from '@cl/read-models';
import { CLOSED_OWING, CORRECTED, scenario, SETTLED_THEN_REOPENED, TERMINATED_LIQUIDATED } from '../../../../test/read-models/support/domain-scenarios';
import { describeEachDialect, type ReadModelTestDb } from '../../../../test/read-models/support/read-model-dialects';
import { LedgerFixture } from '../../../../test/read-models/support/ledger-fixture';

/** Decided histories with payments, acceptances, late rejections (one after settlement) and corrections. */
const SCENARIOS = [
  scenario('p-closed-owing', CLOSED_OWING),
  scenario('p-terminated', TERMINATED_LIQUIDATED),
  scenario('p-reopened', SETTLED_THEN_REOPENED),
  scenario('p-corrected', CORRECTED),
];

const stateOf = (events: readonly ConventionEvent[]) => fold(events) as RegisteredConvention;

describeEachDialect('public figures: the chart\'s history and the open data', (harness) => {
  let ledger: LedgerFixture;
  let readModels: ReadModelTestDb;

  beforeAll(async () => {
    ledger = LedgerFixture.open();
    readModels = await harness.open();
    for (const s of SCENARIOS) await ledger.append(s.conventionId, s.events);
    await new Projector(ledger.store, readModels.db, { batchSize: 7 }).catchUp();
  });
  afterAll(async () => {
    await readModels.close();
    await ledger.close();
  });

  it('each point of the history is the sum over conventions of the domain\'s figures (received, consumed) as of that day, and the last is the stats\' totals', async () => {
    const stats = await readModels.queries.getPublicStats();
    expect(stats.history.length).toBeGreaterThan(3);
    const states = SCENARIOS.map((s) => stateOf(s.events));
    for (const point of stats.history) {
      const total = (field: 'received' | 'consumed') => states.reduce((sum, state) => sum.plus(figuresOf(state, point.on)[field]), new Decimal(0)).toFixed(2);
      expect(point).toEqual({ on: point.on, received: total('received'), consumed: total('consumed') });
    }
    expect(stats.history.at(-1)).toMatchObject({ received: stats.received, consumed: stats.consumed });
    // The late rejections make consumption go down at least once.
    expect(stats.history.some((point, i) => i > 0 && new Decimal(point.consumed).lessThan(stats.history[i - 1].consumed))).toBe(true);
  });

  it('the open data lists every convention once, in id order, with the balance\'s received and consumed, a page at a time', async () => {
    const all = await readModels.queries.listOpenData({ limit: 100 });
    expect(all.map((grant) => grant.id)).toEqual(SCENARIOS.map((s) => s.conventionId).sort());
    for (const grant of all) {
      const balance = (await readModels.queries.getBalance(grant.id))!;
      expect(grant).toMatchObject({ amountDisbursed: balance.received, amountConsumed: balance.consumed, status: balance.status, currency: 'EUR' });
    }
    const first = await readModels.queries.listOpenData({ limit: 3 });
    const rest = await readModels.queries.listOpenData({ after: first.at(-1)!.id, limit: 3 });
    expect([...first, ...rest]).toEqual(all);
  });
});
