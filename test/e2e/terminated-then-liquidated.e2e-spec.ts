import terminationBody from '../../docs/examples/termination.json';
import { AS, eachStepAlone, ledgerOver } from '../support/ledger-http';
import { startTestApp, type TestApp } from '../support/test-app';

const { funder, beneficiary, accountant } = AS;

/**
 * X1 (v2) from end to end: a termination recorded by the beneficiary, decided on 2020-10-20 and
 * effective on 2020-10-31, then the liquidation of the participation (steps after the
 * termination for expenses committed before it), the final statement that makes the figures
 * final, the restitution that settles, and a late rejection (E3) that unsettles.
 *
 * The seed convention: ceiling 1,600,000.00; tranche 1 800,000.00 at signature, tranches 2 and 3
 * 400,000.00 each on consumption (600,000.00, 1,000,000.00); in effect 2020-05-11 to 2021-05-11.
 *
 * | expense | amount     | committed  | service done | paid       | accepted   | in the participation?                    |
 * |---------|------------|------------|--------------|------------|------------|------------------------------------------|
 * | A       | 250,000.50 | 2020-06-01 | 2020-08-31   | 2020-09-15 | 2020-09-20 | yes                                      |
 * | D       |  30,000.00 | 2020-07-15 | 2020-09-30   | 2020-10-10 | 2020-10-12 | yes, until rejected on 2021-01-10        |
 * | B       | 120,000.25 | 2020-07-01 | 2020-10-15   | 2020-11-10 | 2020-11-20 | yes: served before the effect, liquidated after it |
 * | C       |  80,000.00 | 2020-09-01 | 2020-11-05   | 2020-11-20 | 2020-11-25 | no: served after the effect date          |
 * | E       |  10,000.00 | 2020-11-05 | —            | —          | —          | no: committed after the effect date       |
 *
 * Participation = A + D + B = 400,000.75; received 800,000.00; restitution due 399,999.25.
 * After D's late rejection: participation 370,000.75, restitution due 429,999.25, 30,000.00 outstanding.
 */
describe('X1 terminated, then liquidated: every figure to the cent', () => {
  let t: TestApp;
  let ledger: ReturnType<typeof ledgerOver>;
  let conventions = 0;

  beforeAll(async () => {
    t = await startTestApp();
    ledger = ledgerOver(t);
  });
  afterAll(async () => t.close());

  interface Story { id: string; expenses: Record<string, string> }
  const step = ({ id, expenses }: Story, expense: string, path: string) => `/conventions/${id}/expenses/${expenses[expense]}/${path}`;

  /** Active since 2020-05-11, tranche 1 paid 800,000.00 on 2020-05-20; a reference of its own (T6). */
  async function fresh(): Promise<Story> {
    const id = await ledger.active(`TERMINATED-LIQUIDATED-${++conventions}`);
    await ledger.payTranche(id, 1, '800000.00', '2020-05-20');
    return { id, expenses: {} };
  }

  eachStepAlone<Story>(fresh, [
    ['before the termination: A and D accepted, B served, C committed; E committed on 2020-11-05', async (story) => {
      story.expenses.A = await ledger.expense(story.id, '250000.50', { committed: '2020-06-01', done: '2020-08-31', paid: '2020-09-15', accepted: '2020-09-20' });
      story.expenses.D = await ledger.expense(story.id, '30000.00', { committed: '2020-07-15', done: '2020-09-30', paid: '2020-10-10', accepted: '2020-10-12', category: 'coaching' });
      story.expenses.B = await ledger.expense(story.id, '120000.25', { committed: '2020-07-01', done: '2020-10-15', category: 'design' });
      story.expenses.C = await ledger.expense(story.id, '80000.00', { committed: '2020-09-01', category: 'deployment' });
      // Recorded before the termination, but dated after the day it takes effect.
      story.expenses.E = await ledger.expense(story.id, '10000.00', { committed: '2020-11-05' });
    }],
    ['the beneficiary records the termination (decidedOn 2020-10-20, effectiveOn 2020-10-31): provisional figures', async (story) => {
      // docs/examples/termination.json
      expect(terminationBody).toEqual({ decidedOn: '2020-10-20', effectiveOn: '2020-10-31', reason: 'Manquement du financeur à ses engagements', atFault: 'funder' });
      const terminated = await t.http.post(`/conventions/${story.id}/termination`).set(beneficiary).send(terminationBody).expect(201);
      // A + D = 280,000.50 are accepted and served by 2020-10-31; B is served but not yet accepted.
      expect(terminated.body).toEqual({
        position: expect.any(Number), decidedOn: '2020-10-20', effectiveOn: '2020-10-31', decidedBy: 'beneficiary',
        participation: '280000.50', received: '800000.00', restitutionDue: '519999.50', owedToBeneficiary: '0.00',
        lapsedTranches: [2, 3], provisional: true, settled: false,
      });
    }],
    ['nothing new is committed after it, and an expense committed after its effect is not liquidated', async (story) => {
      const commitment = await t.http.post(`/conventions/${story.id}/expenses`).set(beneficiary)
        .send({ category: 'devops', description: 'after the termination', amount: '1.00', committedOn: '2020-10-30' }).expect(422);
      expect(commitment.body.code).toBe('CONVENTION_NOT_ACTIVE');
      const late = await t.http.post(step(story, 'E', 'service-done')).set(beneficiary).send({ on: '2020-11-10' }).expect(422);
      expect(late.body).toMatchObject({ code: 'EXPENSE_NOT_IN_LIQUIDATION', rule: 'X1', expenseId: story.expenses.E, effectiveOn: '2020-10-31' });
      expect((await t.http.post(`/conventions/${story.id}/payments`).set(funder).send({ tranche: 2, amount: '1.00', paidOn: '2020-11-01' }).expect(422)).body.code)
        .toBe('CONVENTION_NOT_ACTIVE');
    }],
    ['liquidation: B is paid and accepted, C served, paid and accepted, all after the termination', async (story) => {
      await t.http.post(step(story, 'B', 'payment')).set(beneficiary).send({ paidOn: '2020-11-10', paymentOrder: 'MP-2020-005120' }).expect(200);
      await t.http.post(step(story, 'B', 'acceptance')).set(accountant).send({ on: '2020-11-20' }).expect(200);
      await t.http.post(step(story, 'C', 'service-done')).set(beneficiary).send({ on: '2020-11-05', invoice: { number: 'F-2020-1105', issuedOn: '2020-11-05' } }).expect(200);
      await t.http.post(step(story, 'C', 'payment')).set(beneficiary).send({ paidOn: '2020-11-20' }).expect(200);
      const accepted = await t.http.post(step(story, 'C', 'acceptance')).set(accountant).send({ on: '2020-11-25' }).expect(200);

      const balance = await ledger.balance(story.id, accepted.body.position);
      expect(balance).toMatchObject({
        status: 'terminated', provisional: true, ceiling: '1600000.00',
        committed: '490000.75', serviceDone: '480000.75', paid: '480000.75', consumed: '480000.75', rejected: '0.00',
        called: '0.00', due: '800000.00', received: '800000.00', outstanding: '0.00', remainingCeiling: '0.00',
        participation: '400000.75',
        restitution: { due: '399999.25', paid: '0.00', outstanding: '399999.25' },
        owedToBeneficiary: { due: '0.00', paid: '0.00', outstanding: '0.00' },
      });
      expect(balance.tranches.map((tr: { number: number; status: string; paid: string }) => [tr.number, tr.status, tr.paid])).toEqual([
        [1, 'paid', '800000.00'], [2, 'lapsed', '0.00'], [3, 'lapsed', '0.00'],
      ]);
    }],
    ['money waits for final figures: a restitution or a settlement payment is 422 FIGURES_PROVISIONAL', async (story) => {
      const restitution = await t.http.post(`/conventions/${story.id}/restitutions`).set(beneficiary).send({ amount: '399999.25', paidOn: '2020-11-30' }).expect(422);
      expect(restitution.body).toMatchObject({ code: 'FIGURES_PROVISIONAL', rule: 'X1' });
      const settlement = await t.http.post(`/conventions/${story.id}/settlement-payments`).set(funder).send({ amount: '1.00', paidOn: '2020-11-30' }).expect(422);
      expect(settlement.body.code).toBe('FIGURES_PROVISIONAL');
    }],
    ['the final statement (cutoff 2020-11-30, drawn up 2020-12-01) lists A, D, B, C; its second signature makes the figures final', async (story) => {
      const statement = await t.http.post(`/conventions/${story.id}/statements`).set(beneficiary).send({ cutoff: '2020-11-30', final: true, drawnUpOn: '2020-12-01' }).expect(201);
      expect(statement.body).toMatchObject({
        number: 1, final: true, cutoff: '2020-11-30', drawnUpOn: '2020-12-01',
        total: '480000.75', previousCumulativeTotal: '0.00', cumulativeTotal: '480000.75', corrections: [],
      });
      expect(statement.body.lines.map((l: { expenseId: string; amount: string }) => [l.expenseId, l.amount])).toEqual([
        [story.expenses.A, '250000.50'], [story.expenses.D, '30000.00'], [story.expenses.B, '120000.25'], [story.expenses.C, '80000.00'],
      ]);
      expect(statement.body.lines[2].paymentOrder).toBe('MP-2020-005120');
      expect(statement.body.lines[3].invoice).toEqual({ number: 'F-2020-1105', issuedOn: '2020-11-05' });

      await t.http.post(`/conventions/${story.id}/statements/1/signatures`).set(AS.officer)
        .send({ as: 'authorizing-officer', signatory: 'Ordonnateur DINUM', signedOn: '2020-12-02' }).expect(201);
      const signed = await t.http.post(`/conventions/${story.id}/statements/1/signatures`).set(accountant)
        .send({ as: 'public-accountant', signatory: 'Comptable CBCM', signedOn: '2020-12-03' }).expect(201);

      const balance = await ledger.balance(story.id, signed.body.position);
      expect(balance).toMatchObject({
        status: 'terminated', provisional: false, consumed: '480000.75', participation: '400000.75', received: '800000.00',
        restitution: { due: '399999.25', paid: '0.00', outstanding: '399999.25' },
        owedToBeneficiary: { due: '0.00', paid: '0.00', outstanding: '0.00' },
      });
      // As of the day before the second signature the figures were still provisional.
      expect(await ledger.balance(story.id, signed.body.position, '2020-12-02')).toMatchObject({ status: 'terminated', provisional: true, participation: '400000.75' });
      // As of the effect date: only A and D were accepted then.
      expect(await ledger.balance(story.id, signed.body.position, '2020-10-31')).toMatchObject({
        status: 'terminated', provisional: true, participation: '280000.50', restitution: { due: '519999.50' },
      });
    }],
    ['the restitution is never more than due; paying it all settles the convention', async (story) => {
      const over = await t.http.post(`/conventions/${story.id}/restitutions`).set(beneficiary).send({ amount: '399999.26', paidOn: '2020-12-15' }).expect(422);
      expect(over.body.code).toBe('RESTITUTION_EXCEEDS_DUE');
      const paid = await t.http.post(`/conventions/${story.id}/restitutions`).set(beneficiary).send({ amount: '399999.25', paidOn: '2020-12-15' }).expect(201);
      expect(paid.body).toEqual({ restitutionId: expect.stringMatching(/^[0-9a-f-]{36}$/), position: expect.any(Number), settled: true });
      expect(await ledger.balance(story.id, paid.body.position)).toMatchObject({
        status: 'settled', provisional: false, participation: '400000.75', restitution: { due: '399999.25', paid: '399999.25', outstanding: '0.00' },
      });
    }],
    ['E3: D found misused on 2021-01-10: no longer settled, 30,000.00 to restitute again; paying it settles again', async (story) => {
      const rejected = await t.http.post(step(story, 'D', 'rejection')).set(accountant)
        .send({ on: '2021-01-10', reason: 'Prestation étrangère à l’objet de la convention', recoveryOrder: 'TP-2021-000318' }).expect(200);
      expect(rejected.body).toEqual({ expenseId: story.expenses.D, position: expect.any(Number) });
      const events = (await t.http.get(`/conventions/${story.id}/events?minPosition=${rejected.body.position}`).set(AS.auditor).expect(200)).body.events;
      expect(events.slice(-2).map((e: { type: string; data: unknown }) => [e.type, e.data])).toEqual([
        ['ExpenseRejected', { expenseId: story.expenses.D, on: '2021-01-10', reason: 'Prestation étrangère à l’objet de la convention', atStep: 'accepted', recoveryOrder: 'TP-2021-000318' }],
        ['SettlementReopened', { on: '2021-01-10', expenseId: story.expenses.D, restitutionOutstanding: '30000.00' }],
      ]);
      expect(await ledger.balance(story.id, rejected.body.position)).toMatchObject({
        status: 'terminated', provisional: false, consumed: '450000.75', rejected: '30000.00', participation: '370000.75',
        restitution: { due: '429999.25', paid: '399999.25', outstanding: '30000.00' },
      });
      expect((await t.http.post(`/conventions/${story.id}/restitutions`).set(beneficiary).send({ amount: '30000.01', paidOn: '2021-01-20' }).expect(422)).body.code)
        .toBe('RESTITUTION_EXCEEDS_DUE');
      const paid = await t.http.post(`/conventions/${story.id}/restitutions`).set(beneficiary).send({ amount: '30000.00', paidOn: '2021-01-20' }).expect(201);
      expect(paid.body.settled).toBe(true);
      expect(await ledger.balance(story.id, paid.body.position)).toMatchObject({
        status: 'settled', participation: '370000.75', restitution: { due: '429999.25', paid: '429999.25', outstanding: '0.00' },
      });
    }],
  ]);
});
