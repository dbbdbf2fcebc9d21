import settlementPaymentBody from '../../docs/examples/settlement-payment.json';
import { AS, eachStepAlone, ledgerOver } from '../support/ledger-http';
import { startTestApp, type TestApp } from '../support/test-app';

const { funder, beneficiary, accountant } = AS;

/**
 * C1 + R2 (v2): consumption reached tranche 2's threshold (600,000.00) but tranche 2 was never
 * called. Closure does not take that right away: the participation is the consumption,
 * 950,000.40, of which 800,000.00 was received, so the funder owes the beneficiary 150,000.40
 * and pays it in settlement payments (POST /conventions/{id}/settlement-payments).
 */
describe('R2 settlement payments after a closure with an uncalled tranche whose threshold was reached', () => {
  let t: TestApp;
  let ledger: ReturnType<typeof ledgerOver>;
  let conventions = 0;

  beforeAll(async () => {
    t = await startTestApp();
    ledger = ledgerOver(t);
  });
  afterAll(async () => t.close());

  interface Story { id: string; late: string }
  /** A settlement payment; an Idempotency-Key is made the story's own, so that replayed steps do not share it. */
  const settle = (story: Story, body: Record<string, unknown>, key?: string) =>
    t.http.post(`/conventions/${story.id}/settlement-payments`).set(funder).set(key ? { 'Idempotency-Key': `${key}-${story.id}` } : {}).send(body);

  /** Active since 2020-05-11, tranche 1 paid; 950,000.40 consumed by 2021-02-20; a reference of its own (T6). */
  async function fresh(): Promise<Story> {
    const id = await ledger.active(`SETTLEMENT-OWED-${++conventions}`);
    await ledger.payTranche(id, 1, '800000.00', '2020-05-20');
    await ledger.expense(id, '600000.00', { committed: '2020-06-01', done: '2020-09-30', paid: '2020-10-15', accepted: '2020-10-20' });
    const late = await ledger.expense(id, '350000.40', { committed: '2020-07-01', done: '2021-01-31', paid: '2021-02-15', accepted: '2021-02-20', category: 'design' });
    return { id, late };
  }

  eachStepAlone<Story>(fresh, [
    ['a settlement payment needs an ended convention: while active it is 422 CONVENTION_NOT_ACTIVE', async (story) => {
      expect((await settle(story, { amount: '1.00', paidOn: '2021-03-01' }).expect(422)).body.code).toBe('CONVENTION_NOT_ACTIVE');
    }],
    ['C1: closure owes the beneficiary 150,000.40; tranches 2 and 3, never due, lapse', async (story) => {
      const final = await ledger.signedStatement(story.id, { cutoff: '2021-05-11', final: true }, ['2021-05-20', '2021-05-21']);
      expect(final).toMatchObject({ number: 1, cumulativeTotal: '950000.40' });
      const closure = await t.http.post(`/conventions/${story.id}/closure`).set(funder).send({ on: '2021-06-30', statement: 1 }).expect(201);
      expect(closure.body).toEqual({
        position: expect.any(Number), closedOn: '2021-06-30', statement: 1,
        consumed: '950000.40', participation: '950000.40', received: '800000.00', restitutionDue: '0.00', owedToBeneficiary: '150000.40',
        lapsedTranches: [2, 3], provisional: false, settled: false,
      });
      expect(await ledger.balance(story.id, closure.body.position)).toMatchObject({
        status: 'closed', provisional: false, consumed: '950000.40', participation: '950000.40', received: '800000.00', due: '800000.00',
        outstanding: '0.00', remainingCeiling: '150000.40',
        restitution: { due: '0.00', paid: '0.00', outstanding: '0.00' },
        owedToBeneficiary: { due: '150000.40', paid: '0.00', outstanding: '150000.40' },
      });
    }],
    ['tranche payments stop at closure; restitutions have nothing to pay; the beneficiary may not record a settlement payment', async (story) => {
      expect((await t.http.post(`/conventions/${story.id}/payments`).set(funder).send({ tranche: 2, amount: '150000.40', paidOn: '2021-07-01' }).expect(422)).body.code)
        .toBe('CONVENTION_NOT_ACTIVE');
      expect((await t.http.post(`/conventions/${story.id}/restitutions`).set(beneficiary).send({ amount: '1.00', paidOn: '2021-07-01' }).expect(422)).body.code)
        .toBe('NO_RESTITUTION_DUE');
      expect((await t.http.post(`/conventions/${story.id}/settlement-payments`).set(beneficiary).send({ amount: '1.00', paidOn: '2021-07-01' }).expect(403)).body)
        .toMatchObject({ code: 'FORBIDDEN_ROLE', allowedRoles: ['funder'] });
    }],
    ['R2: never beyond what is owed, never before the closure, never in the future, never malformed', async (story) => {
      const over = await settle(story, { amount: '150000.41', paidOn: '2021-07-10' }).expect(422);
      expect(over.body).toMatchObject({ code: 'PAYMENT_EXCEEDS_AMOUNT_OWED', rule: 'R2', amount: '150000.41', owed: '150000.40' });
      expect((await settle(story, { amount: '1.00', paidOn: '2021-06-29' }).expect(422)).body).toMatchObject({ code: 'DATE_TOO_EARLY', field: 'paidOn', notBefore: '2021-06-30' });
      expect((await settle(story, { amount: '1.00', paidOn: '2099-01-01' }).expect(422)).body).toMatchObject({ code: 'DATE_IN_FUTURE', rule: 'M4', field: 'paidOn' });
      for (const [body, field] of [
        [{ amount: 150000.4, paidOn: '2021-07-10' }, 'amount'],
        [{ amount: '0.00', paidOn: '2021-07-10' }, 'amount'],
        [{ amount: '1.00', paidOn: '2021-02-30' }, 'paidOn'],
        [{ amount: '1.00', paidOn: '2021-07-10', reference: null }, 'reference'],
        [{ amount: '1.00', paidOn: '2021-07-10', tranche: 2 }, 'tranche'],
      ] as const) {
        const res = await settle(story, body).expect(400);
        expect(res.body.code).toBe('VALIDATION_FAILED');
        expect(res.body.errors.map((e: { field: string }) => e.field)).toEqual([field]);
      }
    }],
    ['an idempotent retry answers the same 201 and pays once; the same key with another body is a 422', async (story) => {
      // docs/examples/settlement-payment.json
      const body = settlementPaymentBody;
      expect(body).toEqual({ amount: '100000.00', paidOn: '2021-07-10', reference: 'VIR-2021-0733' });
      const first = await settle(story, body, 'settle-owed-1').expect(201);
      expect(first.body).toEqual({ paymentId: expect.stringMatching(/^[0-9a-f-]{36}$/), position: expect.any(Number), settled: false });
      const head = await ledger.headPosition();
      const retry = await settle(story, body, 'settle-owed-1').expect(201);
      expect(retry.body).toEqual(first.body);
      expect(retry.headers['idempotent-replayed']).toBe('true');
      expect(await ledger.headPosition()).toBe(head);
      expect((await settle(story, { ...body, amount: '50000.40' }, 'settle-owed-1').expect(422)).body.code).toBe('IDEMPOTENCY_KEY_REUSED');
      expect(await ledger.balance(story.id, first.body.position)).toMatchObject({
        status: 'closed', received: '800000.00', owedToBeneficiary: { due: '150000.40', paid: '100000.00', outstanding: '50000.40' },
      });
    }],
    ['paying the rest settles the convention; then nothing more is owed', async (story) => {
      const rest = await settle(story, { amount: '50000.40', paidOn: '2021-07-20' }, 'settle-owed-2').expect(201);
      expect(rest.body.settled).toBe(true);
      expect(await ledger.balance(story.id, rest.body.position)).toMatchObject({
        status: 'settled', provisional: false, participation: '950000.40', received: '800000.00', remainingCeiling: '0.00',
        restitution: { due: '0.00', paid: '0.00', outstanding: '0.00' },
        owedToBeneficiary: { due: '150000.40', paid: '150000.40', outstanding: '0.00' },
      });
      const history = (await t.http.get(`/conventions/${story.id}/events?minPosition=${rest.body.position}`).set(AS.auditor).expect(200)).body.events;
      expect(history.slice(-2).map((e: { type: string; data: unknown }) => [e.type, e.data])).toEqual([
        ['SettlementPaid', { paymentId: rest.body.paymentId, amount: '50000.40', paidOn: '2021-07-20' }],
        ['ConventionSettled', { on: '2021-07-20' }],
      ]);
      expect((await settle(story, { amount: '0.01', paidOn: '2021-07-21' }).expect(422)).body.code).toBe('NOTHING_OWED_TO_BENEFICIARY');
    }],
    ['E3 after settlement payments: a late rejection turns what was paid beyond the participation into a restitution due', async (story) => {
      const rejected = await t.http.post(`/conventions/${story.id}/expenses/${story.late}/rejection`).set(accountant)
        .send({ on: '2021-09-01', reason: 'Prestation non conforme', recoveryOrder: 'TP-2021-000901' }).expect(200);
      // Participation 600,000.00; 800,000.00 received + 150,000.40 settled − 600,000.00 = 350,000.40 to restitute.
      expect(await ledger.balance(story.id, rejected.body.position)).toMatchObject({
        status: 'closed', participation: '600000.00', consumed: '600000.00', rejected: '350000.40',
        restitution: { due: '350000.40', paid: '0.00', outstanding: '350000.40' },
        owedToBeneficiary: { due: '0.00', paid: '150000.40', outstanding: '0.00' },
      });
      expect((await t.http.post(`/conventions/${story.id}/restitutions`).set(beneficiary).send({ amount: '350000.41', paidOn: '2021-09-15' }).expect(422)).body.code)
        .toBe('RESTITUTION_EXCEEDS_DUE');
      const paid = await t.http.post(`/conventions/${story.id}/restitutions`).set(beneficiary).send({ amount: '350000.40', paidOn: '2021-09-15' }).expect(201);
      expect(paid.body.settled).toBe(true);
    }],
  ]);
});
