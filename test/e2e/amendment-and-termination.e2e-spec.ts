import { AS, ledgerOver } from '../support/ledger-http';
import { SEED_CONVENTION_BODY } from '../support/seed-http';
import { bearer, startTestApp, TEST_TOKENS, type TestApp } from '../support/test-app';

const { funder, beneficiary, accountant } = AS;
const signatories = { funder: 'Yves Le Breton', beneficiary: 'Nadi Bou Hanna' };

/** A1-A3, E3, X1, R1 and R2 through HTTP (v2), with the balances they leave behind. */
describe('amendments, rejections, termination over HTTP', () => {
  let t: TestApp;
  let ledger: ReturnType<typeof ledgerOver>;

  beforeAll(async () => {
    t = await startTestApp();
    ledger = ledgerOver(t);
  });
  afterAll(async () => t.close());

  /** Active since 2020-05-11 (ends 2021-05-11), tranche 1 paid 800,000.00 on 2020-05-20. */
  async function activeConvention(reference: string): Promise<string> {
    const id = await ledger.active(reference);
    await ledger.payTranche(id, 1, '800000.00', '2020-05-20');
    return id;
  }

  /** The final statement of a terminated convention, signed: its figures stop being provisional (X1). */
  const finalStatement = (id: string, cutoff: string, signedOn: [string, string]) => ledger.signedStatement(id, { cutoff, final: true }, signedOn);

  it('A1-A3: an amendment changes the ceiling, the duration and the tranches not yet due, from its date on', async () => {
    const id = await activeConvention('AMENDED');
    const refused = await t.http.post(`/conventions/${id}/amendments`).set(funder)
      .send({ signedOn: '2020-09-01', signatories, changes: { ceiling: '700000.00' } }).expect(422);
    expect(refused.body.code).toBe('CEILING_BELOW_COMMITTED_OR_RECEIVED');

    const amended = await t.http.post(`/conventions/${id}/amendments`).set(funder).send({
      signedOn: '2020-09-01',
      signatories,
      changes: {
        ceiling: '1800000.00',
        durationMonths: 18,
        tranches: [
          { amount: '600000.00', release: { on: 'consumption', threshold: '600000.00' } },
          { amount: '400000.00', release: { on: 'consumption', threshold: '1200000.00' } },
        ],
      },
    }).expect(201);
    expect(amended.body).toMatchObject({ number: 1, endsOn: '2021-11-11' });

    const now = await ledger.balance(id, amended.body.position);
    expect(now).toMatchObject({ ceiling: '1800000.00', received: '800000.00', remainingCeiling: '1000000.00' });
    expect(now.tranches.map((tr: { number: number; amount: string; status: string }) => [tr.number, tr.amount, tr.status])).toEqual([
      [1, '800000.00', 'paid'], [2, '600000.00', 'scheduled'], [3, '400000.00', 'scheduled'],
    ]);
    const before = await ledger.balance(id, amended.body.position, '2020-08-31');
    expect(before).toMatchObject({ ceiling: '1600000.00', remainingCeiling: '800000.00' });
    const convention = (await t.http.get(`/conventions/${id}`).set(AS.auditor).expect(200)).body;
    expect(convention.endsOn).toBe('2021-11-11');

    // A1: only on an active convention — and an expense may now be dated within the longer period.
    await ledger.expense(id, '10.00', { committed: '2021-08-01' });
  });

  it('A2 (v2): an amendment replaces the eligible categories and a party\'s representative and bank account, from its date on', async () => {
    const id = await activeConvention('AMENDED-PARTIES');
    const newAccount = { bankCode: '30001', branchCode: '00064', accountNumber: '00000092441', key: '40', holder: 'DRFIP Île-de-France' };
    const amended = await t.http.post(`/conventions/${id}/amendments`).set(funder).send({
      signedOn: '2020-10-01',
      signatories,
      changes: {
        expenseCategories: ['devops', 'design', 'deployment', 'coaching', 'hosting'],
        funder: { representative: 'Stéphanie Schaer' },
        beneficiary: { bankAccount: newAccount },
      },
    }).expect(201);
    expect(amended.body).toMatchObject({ number: 1, endsOn: '2021-05-11' });
    const recorded = (await t.http.get(`/conventions/${id}/events?minPosition=${amended.body.position}`).set(AS.auditor).expect(200)).body.events.at(-1);
    expect(recorded.data.changes).toEqual({
      expenseCategories: ['devops', 'design', 'deployment', 'coaching', 'hosting'],
      funder: { representative: 'Stéphanie Schaer' },
      beneficiary: { bankAccount: newAccount },
    });
    expect(recorded.data.funder).toMatchObject({ representative: 'Stéphanie Schaer', organisation: '130026032' });
    expect(recorded.data.beneficiary).toMatchObject({ representative: 'Nadi Bou Hanna', bankAccount: newAccount, accountingOrganisation: 'SCBCM-SPM' });

    // A3: hosting is eligible from the amendment's date, not before it.
    await ledger.expense(id, '1000.00', { committed: '2020-10-01', category: 'hosting' });
    const early = await t.http.post(`/conventions/${id}/expenses`).set(beneficiary)
      .send({ category: 'hosting', description: 'before the amendment', amount: '1000.00', committedOn: '2020-09-30' }).expect(422);
    expect(early.body.code).toBe('CATEGORY_NOT_ELIGIBLE');
    // T1: a new RIB is verified like the first one.
    const wrongKey = await t.http.post(`/conventions/${id}/amendments`).set(funder)
      .send({ signedOn: '2020-10-02', signatories, changes: { funder: { bankAccount: { ...newAccount, key: '41' } } } }).expect(400);
    expect(wrongKey.body.code).toBe('INVALID_RIB_KEY');
  });

  it('E3 + X1 + R1: misused money is rejected after acceptance; termination liquidates accepted expenses served by its effect; restitution waits for the final statement, then settles', async () => {
    const id = await activeConvention('TERMINATED');
    await ledger.expense(id, '200000.00', { committed: '2020-06-01', done: '2020-07-01', paid: '2020-07-15', accepted: '2020-07-20' });
    const misused = await ledger.expense(id, '100000.00', { committed: '2020-06-01', done: '2020-08-01', paid: '2020-08-15', accepted: '2020-08-20' });
    await ledger.expense(id, '50000.00', { committed: '2020-09-01', done: '2020-09-25' });

    const rejection = await t.http.post(`/conventions/${id}/expenses/${misused}/rejection`).set(accountant)
      .send({ on: '2020-09-15', reason: 'Dépense étrangère à l’objet de la convention', recoveryOrder: 'TP-2020-000771' }).expect(200);
    const afterRejection = await ledger.balance(id, rejection.body.position);
    expect(afterRejection).toMatchObject({ consumed: '200000.00', rejected: '100000.00', committed: '250000.00' });
    const again = await t.http.post(`/conventions/${id}/expenses/${misused}/acceptance`).set(accountant).send({ on: '2020-09-20' }).expect(422);
    expect(again.body.code).toBe('EXPENSE_REJECTED');

    // X1 (v2): "on" for a termination decided and effective the same day, recorded by the funder.
    const terminated = await t.http.post(`/conventions/${id}/termination`).set(funder)
      .send({ on: '2020-10-01', reason: 'Sommes utilisées à des fins non conformes', atFault: 'beneficiary' }).expect(201);
    // Participation: accepted, non-rejected expenses served by 2020-10-01 = 200,000.00 (the 50,000.00 one is not accepted).
    expect(terminated.body).toEqual({
      position: expect.any(Number), decidedOn: '2020-10-01', effectiveOn: '2020-10-01', decidedBy: 'funder',
      participation: '200000.00', received: '800000.00', restitutionDue: '600000.00', owedToBeneficiary: '0.00',
      lapsedTranches: [2, 3], provisional: true, settled: false,
    });

    const blocked = await t.http.post(`/conventions/${id}/payments`).set(funder).send({ tranche: 2, amount: '1.00', paidOn: '2020-10-02' }).expect(422);
    expect(blocked.body.code).toBe('CONVENTION_NOT_ACTIVE');
    const early = await t.http.post(`/conventions/${id}/restitutions`).set(beneficiary).send({ amount: '600000.00', paidOn: '2020-11-15' }).expect(422);
    expect(early.body.code).toBe('FIGURES_PROVISIONAL');

    const final = await finalStatement(id, '2020-10-31', ['2020-11-02', '2020-11-03']);
    expect(final).toMatchObject({ number: 1, final: true, total: '200000.00', cumulativeTotal: '200000.00' });
    const settledBalance = await ledger.balance(id, final.position);
    expect(settledBalance).toMatchObject({ status: 'terminated', provisional: false, participation: '200000.00', restitution: { due: '600000.00', outstanding: '600000.00' } });

    const paid = await t.http.post(`/conventions/${id}/restitutions`).set(beneficiary).send({ amount: '600000.00', paidOn: '2020-11-15' }).expect(201);
    expect(paid.body.settled).toBe(true);
    const after = await ledger.balance(id, paid.body.position);
    expect(after).toMatchObject({ status: 'settled', restitution: { due: '600000.00', paid: '600000.00', outstanding: '0.00' } });
    const asOfTermination = await ledger.balance(id, paid.body.position, '2020-10-31');
    expect(asOfTermination).toMatchObject({ status: 'terminated', provisional: true, restitution: { due: '600000.00', paid: '0.00', outstanding: '600000.00' } });
  });

  it('X1 + R2: when the beneficiary spent more than it received, the funder owes the difference and pays it as a settlement payment', async () => {
    const id = await activeConvention('OWED');
    await ledger.expense(id, '900000.00', { committed: '2020-06-01', done: '2020-09-01', paid: '2020-09-15', accepted: '2020-09-20' });
    const terminated = await t.http.post(`/conventions/${id}/termination`).set(funder)
      .send({ decidedOn: '2020-09-25', effectiveOn: '2020-10-01', reason: 'Manquement du financeur', atFault: 'funder' }).expect(201);
    expect(terminated.body).toMatchObject({
      decidedOn: '2020-09-25', effectiveOn: '2020-10-01', participation: '900000.00', restitutionDue: '0.00', owedToBeneficiary: '100000.00', provisional: true, settled: false,
    });
    // Tranche payments stop at the end: what is owed now is paid as a settlement payment (R2), once the figures are final.
    expect((await t.http.post(`/conventions/${id}/payments`).set(funder).send({ tranche: 2, amount: '100000.00', paidOn: '2020-10-10' }).expect(422)).body.code)
      .toBe('CONVENTION_NOT_ACTIVE');
    expect((await t.http.post(`/conventions/${id}/settlement-payments`).set(funder).send({ amount: '100000.00', paidOn: '2020-10-10' }).expect(422)).body.code)
      .toBe('FIGURES_PROVISIONAL');
    await finalStatement(id, '2020-10-01', ['2020-10-05', '2020-10-06']);

    const over = await t.http.post(`/conventions/${id}/settlement-payments`).set(funder).send({ amount: '100000.01', paidOn: '2020-10-10' }).expect(422);
    expect(over.body.code).toBe('PAYMENT_EXCEEDS_AMOUNT_OWED');
    const paid = await t.http.post(`/conventions/${id}/settlement-payments`).set(funder).send({ amount: '100000.00', paidOn: '2020-10-10', reference: 'VIR-2020-1010' }).expect(201);
    expect(paid.body).toEqual({ paymentId: expect.stringMatching(/^[0-9a-f-]{36}$/), position: expect.any(Number), settled: true });
    const final = await ledger.balance(id, paid.body.position);
    // received counts tranche payments only; the settlement payment is owedToBeneficiary.paid.
    expect(final).toMatchObject({
      status: 'settled', received: '800000.00', due: '800000.00', outstanding: '0.00', participation: '900000.00', provisional: false,
      restitution: { due: '0.00', paid: '0.00', outstanding: '0.00' }, owedToBeneficiary: { due: '100000.00', paid: '100000.00', outstanding: '0.00' },
    });
  });

  it('E3 after X1: misuse found after termination raises what must be paid back, and domain and read model agree', async () => {
    const id = await activeConvention('MISUSE-AFTER-TERMINATION');
    const spent = await ledger.expense(id, '200000.00', { committed: '2020-06-01', done: '2020-07-01', paid: '2020-07-15', accepted: '2020-07-20' });
    const terminated = await t.http.post(`/conventions/${id}/termination`).set(funder)
      .send({ on: '2020-10-01', reason: 'Résiliation pour faute', atFault: 'beneficiary' }).expect(201);
    expect(terminated.body).toMatchObject({ participation: '200000.00', restitutionDue: '600000.00', provisional: true });

    const rejected = await t.http.post(`/conventions/${id}/expenses/${spent}/rejection`).set(funder)
      .send({ on: '2020-11-01', reason: 'Fins non conformes', recoveryOrder: 'TP-2020-000902' }).expect(200);
    const after = await ledger.balance(id, rejected.body.position);
    expect(after).toMatchObject({ participation: '0.00', provisional: true, restitution: { due: '800000.00', outstanding: '800000.00' } });
    await finalStatement(id, '2020-11-30', ['2020-12-01', '2020-12-02']);
    // The domain holds the same figure: it refuses a cent more and settles on exactly that.
    expect((await t.http.post(`/conventions/${id}/restitutions`).set(beneficiary).send({ amount: '800000.01', paidOn: '2020-12-15' }).expect(422)).body.code)
      .toBe('RESTITUTION_EXCEEDS_DUE');
    const paid = await t.http.post(`/conventions/${id}/restitutions`).set(beneficiary).send({ amount: '800000.00', paidOn: '2020-12-15' }).expect(201);
    expect(paid.body.settled).toBe(true);
  });

  it('X1 roles: the beneficiary may terminate too; a principal holding both party roles must say which party it records for', async () => {
    const id = await activeConvention('TERMINATED-BY-WHOM');
    const both = bearer(TEST_TOKENS.bothParties);
    const body = { on: '2020-10-01', reason: 'Manquement du financeur', atFault: 'funder' };
    const unsaid = await t.http.post(`/conventions/${id}/termination`).set(both).send(body).expect(400);
    expect(unsaid.body).toMatchObject({ code: 'VALIDATION_FAILED', errors: [{ field: 'decidedBy', messages: [expect.stringMatching(/both/)] }] });
    // Naming a party the caller does not hold is a 403.
    const notTheirs = await t.http.post(`/conventions/${id}/termination`).set(beneficiary).send({ ...body, decidedBy: 'funder' }).expect(403);
    expect(notTheirs.body).toMatchObject({ code: 'FORBIDDEN_ROLE', allowedRoles: ['funder'] });
    expect((await t.http.post(`/conventions/${id}/termination`).set(AS.auditor).send(body).expect(403)).body.allowedRoles).toEqual(['funder', 'beneficiary']);
    const recorded = await t.http.post(`/conventions/${id}/termination`).set(both).send({ ...body, decidedBy: 'beneficiary' }).expect(201);
    expect(recorded.body).toMatchObject({ decidedBy: 'beneficiary', decidedOn: '2020-10-01', effectiveOn: '2020-10-01' });
    const event = (await t.http.get(`/conventions/${id}/events?minPosition=${recorded.body.position}`).set(AS.auditor).expect(200)).body.events
      .find((e: { type: string }) => e.type === 'ConventionTerminated');
    expect(event.data).toMatchObject({ decidedBy: 'beneficiary', atFault: 'funder', reason: 'Manquement du financeur' });
    expect(event.actor).toEqual({ subject: 'double-partie', roles: ['funder', 'beneficiary'], organisation: '130026032' });
  });

  it('X1: the termination takes one of two date forms, exactly; a second termination is refused', async () => {
    const id = await activeConvention('TERMINATION-FORMS');
    const base = { reason: 'Résiliation', atFault: 'beneficiary' };
    const fieldsOf = async (body: Record<string, unknown>) => {
      const res = await t.http.post(`/conventions/${id}/termination`).set(funder).send(body).expect(400);
      expect(res.body.code).toBe('VALIDATION_FAILED');
      return res.body.errors.map((e: { field: string }) => e.field).sort();
    };
    expect(await fieldsOf(base)).toEqual(['decidedOn', 'effectiveOn']);
    expect(await fieldsOf({ ...base, decidedOn: '2020-10-01' })).toEqual(['effectiveOn']);
    expect(await fieldsOf({ ...base, on: '2020-10-01', effectiveOn: '2020-10-01' })).toEqual(['on']);
    expect(await fieldsOf({ ...base, on: '2020-10-01', decidedOn: '2020-10-01', effectiveOn: '2020-10-02' })).toEqual(['on']);
    expect(await fieldsOf({ ...base, on: null })).toEqual(['on']);
    expect(await fieldsOf({ ...base, on: '2020-10-01', atFault: 'auditor' })).toEqual(['atFault']);
    // X1: the effect is not before the decision (422, the domain's rule).
    const backwards = await t.http.post(`/conventions/${id}/termination`).set(funder).send({ ...base, decidedOn: '2020-10-02', effectiveOn: '2020-10-01' }).expect(422);
    expect(backwards.body).toMatchObject({ code: 'DATE_TOO_EARLY', field: 'effectiveOn' });
    await t.http.post(`/conventions/${id}/termination`).set(funder).send({ ...base, on: '2020-10-01' }).expect(201);
    expect((await t.http.post(`/conventions/${id}/termination`).set(funder).send({ ...base, on: '2020-10-02' }).expect(422)).body.code).toBe('CONVENTION_NOT_ACTIVE');
  });

  it('an amendment, a termination or a registration carrying null where a field is optional is a 400 naming it, never a stored null', async () => {
    const id = await activeConvention('NULLS');
    const head = await ledger.headPosition();
    const amendment = await t.http.post(`/conventions/${id}/amendments`).set(funder)
      .send({ signedOn: '2020-10-01', signatories, changes: { funder: { representative: null } } }).expect(400);
    expect(amendment.body.errors.map((e: { field: string }) => e.field)).toEqual(['changes.funder.representative']);
    const registration = await t.http.post('/conventions').set(funder)
      .send({ ...SEED_CONVENTION_BODY, reference: 'NULLS-2', budget: { ...SEED_CONVENTION_BODY.budget, bop: null } }).expect(400);
    expect(registration.body.errors.map((e: { field: string }) => e.field)).toEqual(['budget.bop']);
    expect(await ledger.headPosition()).toBe(head);
  });
});
