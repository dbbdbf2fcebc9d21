import { SEED_CONVENTION_BODY } from '../support/seed-http';
import { bearer, startTestApp, TEST_TOKENS, type TestApp } from '../support/test-app';

const funder = bearer(TEST_TOKENS.funder);
const beneficiary = bearer(TEST_TOKENS.beneficiary);
const accountant = bearer(TEST_TOKENS.publicAccountant);
const auditor = bearer(TEST_TOKENS.auditor);

/** A1-A3, E3, X1 and R1 through HTTP, with the balances they leave behind. */
describe('amendments, rejections, termination over HTTP', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(async () => t.close());

  async function activeConvention(reference: string): Promise<string> {
    const id = (await t.http.post('/conventions').set(funder).send({ ...SEED_CONVENTION_BODY, reference }).expect(201)).body.id;
    await t.http.post(`/conventions/${id}/signatures`).set(funder).send({ party: 'funder', signatory: 'Yves Le Breton', signedOn: '2020-05-11' }).expect(201);
    await t.http.post(`/conventions/${id}/signatures`).set(beneficiary).send({ party: 'beneficiary', signatory: 'Nadi Bou Hanna', signedOn: '2020-05-11' }).expect(201);
    await t.http.post(`/conventions/${id}/payments`).set(funder).send({ tranche: 1, amount: '800000.00', paidOn: '2020-05-20' }).expect(201);
    return id;
  }

  async function expense(id: string, amount: string, steps: { committed: string; done?: string; paid?: string; accepted?: string }) {
    const expenseId = (await t.http.post(`/conventions/${id}/expenses`).set(beneficiary)
      .send({ category: 'devops', description: `expense of ${amount}`, amount, committedOn: steps.committed }).expect(201)).body.expenseId;
    if (steps.done) await t.http.post(`/conventions/${id}/expenses/${expenseId}/service-done`).set(beneficiary).send({ on: steps.done }).expect(200);
    if (steps.paid) await t.http.post(`/conventions/${id}/expenses/${expenseId}/payment`).set(beneficiary).send({ paidOn: steps.paid }).expect(200);
    if (steps.accepted) await t.http.post(`/conventions/${id}/expenses/${expenseId}/acceptance`).set(accountant).send({ on: steps.accepted }).expect(200);
    return expenseId as string;
  }

  const balance = async (id: string, position: number, asOf?: string) =>
    (await t.http.get(`/conventions/${id}/balance?minPosition=${position}${asOf ? `&asOf=${asOf}` : ''}`).set(auditor).expect(200)).body;

  it('A1-A3: an amendment changes the ceiling, the duration and the tranches not yet due, from its date on', async () => {
    const id = await activeConvention('AMENDED');
    const refused = await t.http.post(`/conventions/${id}/amendments`).set(funder)
      .send({ signedOn: '2020-09-01', signatories: { funder: 'Yves Le Breton', beneficiary: 'Nadi Bou Hanna' }, changes: { ceiling: '700000.00' } }).expect(422);
    expect(refused.body.code).toBe('CEILING_BELOW_COMMITTED_OR_RECEIVED');

    const amended = await t.http.post(`/conventions/${id}/amendments`).set(funder).send({
      signedOn: '2020-09-01',
      signatories: { funder: 'Yves Le Breton', beneficiary: 'Nadi Bou Hanna' },
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

    const now = await balance(id, amended.body.position);
    expect(now).toMatchObject({ ceiling: '1800000.00', received: '800000.00', remainingCeiling: '1000000.00' });
    expect(now.tranches.map((tr: { number: number; amount: string; status: string }) => [tr.number, tr.amount, tr.status])).toEqual([
      [1, '800000.00', 'paid'], [2, '600000.00', 'scheduled'], [3, '400000.00', 'scheduled'],
    ]);
    const before = await balance(id, amended.body.position, '2020-08-31');
    expect(before).toMatchObject({ ceiling: '1600000.00', remainingCeiling: '800000.00' });
    const convention = (await t.http.get(`/conventions/${id}`).set(auditor).expect(200)).body;
    expect(convention.endsOn).toBe('2021-11-11');

    // A1: only on an active convention — and an expense may now be dated within the longer period.
    await expense(id, '10.00', { committed: '2021-08-01' });
  });

  it('E3 + X1 + R1: misused money is rejected after acceptance; termination liquidates on service done; restitution settles', async () => {
    const id = await activeConvention('TERMINATED');
    await expense(id, '200000.00', { committed: '2020-06-01', done: '2020-07-01', paid: '2020-07-15', accepted: '2020-07-20' });
    const misused = await expense(id, '100000.00', { committed: '2020-06-01', done: '2020-08-01', paid: '2020-08-15', accepted: '2020-08-20' });
    await expense(id, '50000.00', { committed: '2020-09-01', done: '2020-10-15' });

    const rejection = await t.http.post(`/conventions/${id}/expenses/${misused}/rejection`).set(accountant)
      .send({ on: '2020-09-15', reason: 'Dépense étrangère à l’objet de la convention' }).expect(200);
    const afterRejection = await balance(id, rejection.body.position);
    expect(afterRejection).toMatchObject({ consumed: '200000.00', rejected: '100000.00', committed: '250000.00' });
    const again = await t.http.post(`/conventions/${id}/expenses/${misused}/acceptance`).set(accountant).send({ on: '2020-09-20' }).expect(422);
    expect(again.body.code).toBe('EXPENSE_REJECTED');

    const terminated = await t.http.post(`/conventions/${id}/termination`).set(funder)
      .send({ on: '2020-10-01', reason: 'Sommes utilisées à des fins non conformes', atFault: 'beneficiary' }).expect(201);
    // Due participation: non-rejected expenses whose service was done by 2020-10-01 = 200,000.00.
    expect(terminated.body).toMatchObject({ dueParticipation: '200000.00', received: '800000.00', restitutionDue: '600000.00', owedToBeneficiary: '0.00', settled: false });

    const blocked = await t.http.post(`/conventions/${id}/payments`).set(funder).send({ tranche: 2, amount: '1.00', paidOn: '2020-10-02' }).expect(422);
    expect(blocked.body.code).toMatch(/^(NOTHING_OWED_TO_BENEFICIARY|CONVENTION_NOT_ACTIVE|TRANCHE_NOT_DUE)$/);

    const paid = await t.http.post(`/conventions/${id}/restitutions`).set(beneficiary).send({ amount: '600000.00', paidOn: '2020-11-15' }).expect(201);
    expect(paid.body.settled).toBe(true);
    const final = await balance(id, paid.body.position);
    expect(final).toMatchObject({ status: 'settled', restitution: { due: '600000.00', paid: '600000.00', outstanding: '0.00' } });
    const asOfTermination = await balance(id, paid.body.position, '2020-10-31');
    expect(asOfTermination).toMatchObject({ status: 'terminated', restitution: { due: '600000.00', paid: '0.00', outstanding: '600000.00' } });
  });

  it('X1: when the beneficiary spent more than it received, the funder owes the difference and paying it settles', async () => {
    const id = await activeConvention('OWED');
    await expense(id, '900000.00', { committed: '2020-06-01', done: '2020-09-01' });
    const terminated = await t.http.post(`/conventions/${id}/termination`).set(funder)
      .send({ on: '2020-10-01', reason: 'Manquement du financeur', atFault: 'funder' }).expect(201);
    expect(terminated.body).toMatchObject({ dueParticipation: '900000.00', restitutionDue: '0.00', owedToBeneficiary: '100000.00', settled: false });
    const over = await t.http.post(`/conventions/${id}/payments`).set(funder).send({ tranche: 2, amount: '100000.01', paidOn: '2020-10-10' }).expect(422);
    expect(over.body.code).toBe('PAYMENT_EXCEEDS_AMOUNT_OWED');
    const paid = await t.http.post(`/conventions/${id}/payments`).set(funder).send({ tranche: 2, amount: '100000.00', paidOn: '2020-10-10' }).expect(201);
    const final = await balance(id, paid.body.position);
    expect(final).toMatchObject({ status: 'settled', received: '900000.00', due: '900000.00', outstanding: '0.00' });
    expect(final).toMatchObject({ participation: '900000.00', restitution: { due: '0.00' }, owedToBeneficiary: { due: '100000.00', outstanding: '0.00' } });
  });

  it('E3 after X1: misuse found after termination raises what must be paid back, and domain and read model agree', async () => {
    const id = await activeConvention('MISUSE-AFTER-TERMINATION');
    const spent = await expense(id, '200000.00', { committed: '2020-06-01', done: '2020-07-01', paid: '2020-07-15', accepted: '2020-07-20' });
    const terminated = await t.http.post(`/conventions/${id}/termination`).set(funder)
      .send({ on: '2020-10-01', reason: 'Résiliation pour faute', atFault: 'beneficiary' }).expect(201);
    expect(terminated.body.restitutionDue).toBe('600000.00');

    const rejected = await t.http.post(`/conventions/${id}/expenses/${spent}/rejection`).set(funder)
      .send({ on: '2020-11-01', reason: 'Fins non conformes' }).expect(200);
    const after = await balance(id, rejected.body.position);
    expect(after).toMatchObject({ participation: '0.00', restitution: { due: '800000.00', outstanding: '800000.00' } });
    // The domain holds the same figure: it refuses a cent more and settles on exactly that.
    await t.http.post(`/conventions/${id}/restitutions`).set(beneficiary).send({ amount: '800000.01', paidOn: '2020-11-15' }).expect(422);
    const paid = await t.http.post(`/conventions/${id}/restitutions`).set(beneficiary).send({ amount: '800000.00', paidOn: '2020-11-15' }).expect(201);
    expect(paid.body.settled).toBe(true);
  });
});
