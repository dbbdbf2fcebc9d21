import Decimal from 'decimal.js';
import { figuresOf, fold, formatMoney, upcast, type ConventionEvent, type RegisteredConvention } from '@cl/domain';
import type { Figures } from '@cl/domain/figures';
import { Projector, statementCsv } from '@cl/read-models';
import { csvObjects } from '../../../../test/read-models/support/csv';
import {
  CLOSED_OWING, CORRECTED, expectedBalance, datesAround, scenario, SETTLED_THEN_REOPENED, TERMINATED_LIQUIDATED, type DomainScenario,
} from '../../../../test/read-models/support/domain-scenarios';
import { describeEachDialect, type ReadModelTestDb } from '../../../../test/read-models/support/read-model-dialects';
import { LedgerFixture, referenceCase, referenceCaseV1, terminatedV1, type StoredEventShape } from '../../../../test/read-models/support/ledger-fixture';

const CLOSED = scenario('c-closed-owing', CLOSED_OWING);
const TERMINATED = scenario('c-terminated', TERMINATED_LIQUIDATED);
const REOPENED = scenario('c-reopened', SETTLED_THEN_REOPENED);
const CORRECTIONS = scenario('c-corrected', CORRECTED);
/** The same history as REOPENED, stopped right after the late rejection reopened it. */
const REOPENED_NOW: DomainScenario = (() => {
  const events = scenario('c-reopened-now', SETTLED_THEN_REOPENED).events;
  const cut = events.findIndex((e) => e.type === 'SettlementReopened') + 1;
  return { conventionId: 'c-reopened-now', events: events.slice(0, cut), dates: datesAround(events.slice(0, cut)) };
})();

/** Histories stored as they are (hand-built v2, and v1 ones), read back by the domain through upcast(). */
const stored = (conventionId: string, events: StoredEventShape[]) => ({
  conventionId, stored: events, events: events.map((e) => upcast({ type: e.type, schemaVersion: e.schemaVersion, data: e.data as Record<string, unknown> })),
});
const HAND_BUILT = [
  stored('c-reference', referenceCase('c-reference')),
  stored('c-reference-v1', referenceCaseV1('c-reference-v1')),
  stored('c-terminated-v1', terminatedV1('c-terminated-v1')),
];
const DECIDED = [CLOSED, TERMINATED, REOPENED, REOPENED_NOW, CORRECTIONS];
const ALL: { conventionId: string; events: ConventionEvent[] }[] = [...DECIDED, ...HAND_BUILT];

const stateOf = (events: readonly ConventionEvent[]) => fold(events) as RegisteredConvention;

describeEachDialect('figures: the read side shows the domain\'s figuresAsOf', (harness) => {
  let ledger: LedgerFixture;
  let readModels: ReadModelTestDb;
  const balance = (id: string, asOf?: string) => readModels.queries.getBalance(id, asOf);
  const convention = (id: string, asOf?: string) => readModels.queries.getConvention(id, asOf);

  beforeAll(async () => {
    ledger = LedgerFixture.open();
    readModels = await harness.open();
    for (const s of DECIDED) await ledger.append(s.conventionId, s.events);
    for (const s of HAND_BUILT) await ledger.appendStored(s.conventionId, s.stored);
    await new Projector(ledger.store, readModels.db, { batchSize: 7 }).catchUp();
  });
  afterAll(async () => {
    await readModels.close();
    await ledger.close();
  });

  it('the balance is figuresOf(state, asOf) of the same history, field by field, around every fact and now', async () => {
    for (const { conventionId, events } of ALL) {
      const state = stateOf(events);
      for (const asOf of [...datesAround(events), undefined]) {
        const expected = expectedBalance(conventionId, figuresOf(state, asOf), asOf);
        expect({ conventionId, asOf, balance: await balance(conventionId, asOf) }).toEqual({ conventionId, asOf, balance: expected });
        const view = (await convention(conventionId, asOf))!;
        expect({ conventionId, asOf, status: view.status, ceiling: view.ceiling }).toEqual({ conventionId, asOf, status: expected.status, ceiling: expected.ceiling });
      }
    }
  });

  it('the stored current balance, its tranches and the listed status are the figures now', async () => {
    for (const { conventionId, events } of ALL) {
      const figures = figuresOf(stateOf(events));
      const expected = expectedBalance(conventionId, figures);
      const row = await readModels.db.selectFrom('rm_balances').selectAll().where('convention_id', '=', conventionId).executeTakeFirstOrThrow();
      expect({ conventionId, row }).toEqual({
        conventionId,
        row: expect.objectContaining({
          status: expected.status, ceiling: expected.ceiling, committed: expected.committed, service_done: expected.serviceDone, paid: expected.paid,
          consumed: expected.consumed, rejected: expected.rejected, called: expected.called, due: expected.due, received: expected.received,
          outstanding: expected.outstanding, remaining_ceiling: expected.remainingCeiling, participation: expected.participation ?? null,
          provisional: expected.provisional ? 1 : 0,
          restitution_due: expected.restitution.due, restitution_paid: expected.restitution.paid, restitution_outstanding: expected.restitution.outstanding,
          owed_to_beneficiary_due: expected.owedToBeneficiary.due, owed_to_beneficiary_paid: expected.owedToBeneficiary.paid,
          owed_to_beneficiary_outstanding: expected.owedToBeneficiary.outstanding,
        }),
      });
      const tranches = await readModels.db.selectFrom('rm_balance_tranches').select(['number', 'amount', 'status', 'paid'])
        .where('convention_id', '=', conventionId).orderBy('number').execute();
      expect(tranches).toEqual(expected.tranches);
      const listed = await readModels.queries.listConventions({ status: expected.status });
      expect(listed.map((summary) => summary.id)).toContain(conventionId);
    }
  });

  it('stats are the exact sums of the figures now over all conventions', async () => {
    const all = ALL.map(({ events }) => figuresOf(stateOf(events)));
    const total = (of: (f: Figures) => Decimal | undefined) => formatMoney(all.reduce((sum, f) => sum.plus(of(f) ?? 0), new Decimal(0)));
    const count = (status: string) => all.filter((f) => f.status === status).length;
    expect(await readModels.queries.getStats()).toMatchObject({
      conventions: {
        total: ALL.length,
        byStatus: { draft: count('draft'), active: count('active'), closed: count('closed'), terminated: count('terminated'), settled: count('settled') },
        provisional: all.filter((f) => f.provisional).length,
      },
      ceiling: total((f) => f.ceiling), committed: total((f) => f.committed), consumed: total((f) => f.consumed), rejected: total((f) => f.rejected),
      called: total((f) => f.called), due: total((f) => f.due), received: total((f) => f.received), outstanding: total((f) => f.outstanding),
      participation: total((f) => f.participation),
      restitution: { due: total((f) => f.restitution.due), paid: total((f) => f.restitution.paid), outstanding: total((f) => f.restitution.outstanding) },
      owedToBeneficiary: {
        due: total((f) => f.owedToBeneficiary.due), paid: total((f) => f.owedToBeneficiary.paid), outstanding: total((f) => f.owedToBeneficiary.outstanding),
      },
    });
    // A v1 termination's figures are final (v1 had no liquidation): it is not counted as provisional.
    expect((await readModels.queries.getStats()).conventions.provisional).toBe(0);
  });

  describe('closed with tranches never called although their thresholds were reached (C1, R2)', () => {
    const id = CLOSED.conventionId;

    it('shows the participation and what is owed to the beneficiary; the tranches not due lapse, nothing stays outstanding', async () => {
      expect(await balance(id, '2021-06-29')).toMatchObject({ status: 'active', consumed: '1100000.00', outstanding: '0.00', provisional: false });
      expect((await balance(id, '2021-06-29'))!.participation).toBeUndefined();
      expect(await balance(id, '2021-06-30')).toMatchObject({
        status: 'closed', participation: '1100000.00', received: '800000.00', due: '800000.00', outstanding: '0.00', remainingCeiling: '300000.00',
        owedToBeneficiary: { due: '300000.00', paid: '0.00', outstanding: '300000.00' }, restitution: { due: '0.00', paid: '0.00', outstanding: '0.00' },
        tranches: [
          { number: 1, amount: '800000.00', status: 'paid', paid: '800000.00' },
          { number: 2, amount: '400000.00', status: 'lapsed', paid: '0.00' },
          { number: 3, amount: '400000.00', status: 'lapsed', paid: '0.00' },
        ],
      });
    });

    it('a settlement payment settles it: outstanding 0.00 and remainingCeiling 0.00, received unchanged', async () => {
      expect(await balance(id)).toMatchObject({
        status: 'settled', received: '800000.00', outstanding: '0.00', remainingCeiling: '0.00',
        owedToBeneficiary: { due: '300000.00', paid: '300000.00', outstanding: '0.00' },
      });
      expect(await convention(id, '2021-07-19')).toMatchObject({ status: 'closed', closedOn: '2021-06-30', settledOn: null });
      expect(await convention(id)).toMatchObject({ status: 'settled', settledOn: '2021-07-20' });
    });
  });

  describe('terminated (X1): liquidation, then final figures', () => {
    const id = TERMINATED.conventionId;

    it('is provisional from the termination\'s effect until a final statement is signed', async () => {
      expect(await balance(id, '2020-12-14')).toMatchObject({ status: 'active', provisional: false });
      expect(await convention(id, '2020-12-14')).toMatchObject({
        status: 'active', terminatedOn: null,
        termination: { decidedOn: '2020-12-10', effectiveOn: '2020-12-15', decidedBy: 'beneficiary', reason: 'financement interrompu', atFault: 'funder' },
      });
      for (const date of ['2020-12-15', '2021-01-10', '2021-01-19']) {
        expect(await balance(id, date)).toMatchObject({ status: 'terminated', provisional: true });
      }
      expect(await balance(id, '2021-01-20')).toMatchObject({ status: 'terminated', provisional: false });
    });

    it('shows outstanding 0.00 beside what is owed to the beneficiary, and the tranches that never fell due lapsed', async () => {
      expect(await balance(id, '2021-01-20')).toMatchObject({
        participation: '900000.00', received: '800000.00', due: '800000.00', outstanding: '0.00', remainingCeiling: '100000.00',
        owedToBeneficiary: { due: '100000.00', paid: '0.00', outstanding: '100000.00' }, restitution: { due: '0.00', paid: '0.00', outstanding: '0.00' },
        tranches: [expect.objectContaining({ number: 1, status: 'paid' }), expect.objectContaining({ number: 2, status: 'lapsed' }), expect.objectContaining({ number: 3, status: 'lapsed' })],
      });
      // During the liquidation, before e1 was accepted, the participation was still 0.00.
      expect(await balance(id, '2020-12-15')).toMatchObject({ participation: '0.00', outstanding: '0.00', provisional: true });
      expect(await balance(id)).toMatchObject({ status: 'settled', provisional: false, owedToBeneficiary: { outstanding: '0.00' }, remainingCeiling: '0.00' });
    });
  });

  describe('a late rejection after settlement (E3, R1)', () => {
    const id = REOPENED.conventionId;

    it('un-settles the convention from the rejection\'s date: closed, restitution outstanding again', async () => {
      expect(await balance(id, '2021-09-09')).toMatchObject({ status: 'settled', restitution: { due: '539999.25', paid: '539999.25', outstanding: '0.00' } });
      expect(await convention(id, '2021-09-09')).toMatchObject({ status: 'settled', settledOn: '2021-08-15' });
      expect(await balance(id, '2021-09-10')).toMatchObject({
        status: 'closed', consumed: '610000.75', participation: '610000.75', rejected: '50000.00',
        restitution: { due: '589999.25', paid: '539999.25', outstanding: '50000.00' },
      });
      expect(await convention(id, '2021-09-10')).toMatchObject({ status: 'closed', settledOn: null });
      expect(await readModels.queries.getExpense(id, 'e3', '2021-09-10')).toMatchObject({
        state: 'rejected', rejection: { on: '2021-09-10', reason: 'prestation non conforme', atStep: 'accepted', recoveryOrder: 'TP-2021-0042' },
      });
      expect(await readModels.queries.getExpense(id, 'e3', '2021-09-09')).toMatchObject({ state: 'accepted', rejection: null });
    });

    it('the restitution of the rest settles it again, from that day', async () => {
      expect(await balance(id)).toMatchObject({ status: 'settled', restitution: { due: '589999.25', paid: '589999.25', outstanding: '0.00' } });
      expect(await convention(id)).toMatchObject({ status: 'settled', settledOn: '2021-10-01' });
      expect(await convention(id, '2021-09-30')).toMatchObject({ status: 'closed', settledOn: null });
      expect(await readModels.db.selectFrom('rm_settlements').select(['kind', 'occurred_on', 'expense_id', 'restitution_outstanding'])
        .where('convention_id', '=', id).orderBy('position').execute()).toEqual([
        { kind: 'settled', occurred_on: '2021-08-15', expense_id: null, restitution_outstanding: null },
        { kind: 'reopened', occurred_on: '2021-09-10', expense_id: 'e3', restitution_outstanding: '50000.00' },
        { kind: 'settled', occurred_on: '2021-10-01', expense_id: null, restitution_outstanding: null },
      ]);
    });

    it('right after the reopening, the current status is closed everywhere', async () => {
      const now = REOPENED_NOW.conventionId;
      expect(await balance(now)).toMatchObject({ status: 'closed', restitution: { outstanding: '50000.00' } });
      expect(await convention(now)).toMatchObject({ status: 'closed', settledOn: null });
      expect((await readModels.queries.listConventions({ status: 'closed' })).map((summary) => summary.id)).toContain(now);
      expect(await readModels.db.selectFrom('rm_conventions').select(['status', 'settled_on']).where('convention_id', '=', now).execute())
        .toEqual([{ status: 'closed', settled_on: null }]);
    });
  });

  describe('statements with corrections (D1 v2)', () => {
    const id = CORRECTIONS.conventionId;

    it('carry the drawing-up day, the previous cumulative total, the corrections and the lines\' details', async () => {
      expect(await readModels.queries.getStatement(id, 2)).toEqual({
        number: 2, cutoff: '2021-03-31', drawnUpOn: '2021-04-02', final: false,
        lines: [{
          expenseId: 'e3', category: 'coaching', description: 'coaching, équipe produit', amount: '50000.00',
          committedOn: '2021-01-10', serviceDoneOn: '2021-02-15', paidOn: '2021-03-01', contract: null,
          payee: { name: 'Beta Coaching', siret: '73282932000074' }, commitmentNumber: 'EJ-2021-0003',
          invoice: { number: 'F-77', issuedOn: '2021-02-14' }, paymentOrder: 'MDT-2021-0301',
        }],
        corrections: [{ expenseId: 'e2', amount: '-210000.75', listedOn: 1, rejectedOn: '2021-02-01', reason: 'hors périmètre, "UX" non prévue' }],
        total: '50000.00', previousCumulativeTotal: '610000.75', cumulativeTotal: '450000.00',
        signatures: [], valid: false,
      });
    });

    it('as of a date between the cutoff and the drawing-up day, the statement does not exist yet', async () => {
      expect(await readModels.queries.getStatement(id, 2, '2021-03-31')).toBeUndefined();
      expect(await readModels.queries.getStatement(id, 2, '2021-04-01')).toBeUndefined();
      expect((await readModels.queries.listStatements(id, '2021-04-01'))!.map((s) => s.number)).toEqual([1]);
      expect((await readModels.queries.listStatements(id, '2021-04-02'))!.map((s) => s.number)).toEqual([1, 2]);
    });

    it('as CSV: the lines, then the correction lines with their negative amounts, read back', async () => {
      const statement = (await readModels.queries.getStatement(id, 2))!;
      const records = csvObjects(statementCsv(statement));
      expect(records).toEqual([
        {
          expenseId: 'e3', category: 'coaching', description: 'coaching, équipe produit', amount: '50000.00',
          committedOn: '2021-01-10', serviceDoneOn: '2021-02-15', paidOn: '2021-03-01', contract: '',
          payeeName: 'Beta Coaching', payeeSiret: '73282932000074', commitmentNumber: 'EJ-2021-0003', invoiceNumber: 'F-77', invoiceIssuedOn: '2021-02-14',
          paymentOrder: 'MDT-2021-0301', type: 'line', listedOn: '', rejectedOn: '', rejectionReason: '',
        },
        {
          expenseId: 'e2', category: '', description: '', amount: '-210000.75', committedOn: '', serviceDoneOn: '', paidOn: '', contract: '',
          payeeName: '', payeeSiret: '', commitmentNumber: '', invoiceNumber: '', invoiceIssuedOn: '', paymentOrder: '',
          type: 'correction', listedOn: '1', rejectedOn: '2021-02-01', rejectionReason: 'hors périmètre, "UX" non prévue',
        },
      ]);
      // The CSV's amounts add up to what the statement adds to the cumulative total.
      const added = records.reduce((sum, record) => sum.plus(record.amount), new Decimal(0));
      expect(formatMoney(new Decimal(statement.previousCumulativeTotal).plus(added))).toBe(statement.cumulativeTotal);
    });

    it('the expense shows the recovery order of its rejection, and its details as recorded by then', async () => {
      expect(await readModels.queries.getExpense(id, 'e2')).toMatchObject({
        state: 'rejected', rejection: { on: '2021-02-01', atStep: 'accepted', recoveryOrder: 'TP-2021-0007' },
      });
      expect(await readModels.queries.getExpense(id, 'e3', '2021-02-14')).toMatchObject({
        payee: { name: 'Beta Coaching', siret: '73282932000074' }, commitmentNumber: 'EJ-2021-0003', invoice: null, paymentOrder: null,
      });
      expect(await readModels.queries.getExpense(id, 'e3', '2021-02-15')).toMatchObject({ invoice: { number: 'F-77', issuedOn: '2021-02-14' }, paymentOrder: null });
      expect(await readModels.queries.getExpense(id, 'e3')).toMatchObject({ paymentOrder: 'MDT-2021-0301' });
    });
  });
});
