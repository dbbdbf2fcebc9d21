import { SEED_CONVENTION_BODY } from '../support/seed-http';
import { bearer, startTestApp, TEST_TOKENS, type TestApp } from '../support/test-app';

const funder = bearer(TEST_TOKENS.funder);
const beneficiary = bearer(TEST_TOKENS.beneficiary);

/** Bad input is a clear 4xx with a stable code, and records nothing. */
describe('HTTP edge: authentication, validation, errors', () => {
  let t: TestApp;
  let id: string;

  beforeAll(async () => {
    t = await startTestApp();
    id = (await t.http.post('/conventions').set(funder).send(SEED_CONVENTION_BODY).expect(201)).body.id;
    await t.http.post(`/conventions/${id}/signatures`).set(funder).send({ party: 'funder', signatory: 'Yves Le Breton', signedOn: '2020-05-11' }).expect(201);
    await t.http.post(`/conventions/${id}/signatures`).set(beneficiary).send({ party: 'beneficiary', signatory: 'Nadi Bou Hanna', signedOn: '2020-05-11' }).expect(201);
  });
  afterAll(async () => t.close());

  const headPosition = async () => (await t.http.get('/health').expect(200)).body.store.headPosition as number;

  it('401 without a token or with an unknown one', async () => {
    const none = await t.http.post('/conventions').send(SEED_CONVENTION_BODY).expect(401);
    expect(none.body).toMatchObject({ statusCode: 401, code: 'UNAUTHENTICATED' });
    await t.http.post('/conventions').set(bearer('not-a-token')).send(SEED_CONVENTION_BODY).expect(401);
  });

  it('403 when the role may not do it (auditor registering, beneficiary signing for the funder)', async () => {
    const auditor = await t.http.post('/conventions').set(bearer(TEST_TOKENS.auditor)).send(SEED_CONVENTION_BODY).expect(403);
    expect(auditor.body.code).toBe('FORBIDDEN_ROLE');
    await t.http.post(`/conventions/${id}/signatures`).set(beneficiary).send({ party: 'funder', signatory: 'x', signedOn: '2020-05-11' }).expect(403);
    await t.http.post(`/conventions/${id}/payments`).set(beneficiary).send({ tranche: 1, amount: '1.00', paidOn: '2020-05-20' }).expect(403);
  });

  it.each([
    ['a JSON number', 100],
    ['an exponent', '1e6'],
    ['a negative amount', '-5'],
    ['three decimals', '0.001'],
    ['an empty string', ''],
  ])('400 VALIDATION_FAILED for money as %s, recording nothing', async (_label, amount) => {
    const before = await headPosition();
    const res = await t.http.post(`/conventions/${id}/expenses`).set(beneficiary)
      .send({ category: 'devops', description: 'x', amount, committedOn: '2020-06-01' }).expect(400);
    expect(res.body).toMatchObject({ statusCode: 400, code: 'VALIDATION_FAILED' });
    expect(res.body.errors).toEqual(expect.arrayContaining([expect.objectContaining({ field: 'amount' })]));
    expect(await headPosition()).toBe(before);
  });

  it('400 for an impossible date (2021-02-30)', async () => {
    const res = await t.http.post(`/conventions/${id}/expenses`).set(beneficiary)
      .send({ category: 'devops', description: 'x', amount: '10.00', committedOn: '2021-02-30' }).expect(400);
    expect(res.body.errors[0].field).toBe('committedOn');
  });

  it('400 for unknown fields, also nested ones', async () => {
    const res = await t.http.post('/conventions').set(funder)
      .send({ ...SEED_CONVENTION_BODY, funder: { ...SEED_CONVENTION_BODY.funder, iban: 'FR76' }, surprise: true }).expect(400);
    const fields = res.body.errors.map((e: { field: string }) => e.field);
    expect(fields).toEqual(expect.arrayContaining(['surprise', 'funder.iban']));
  });

  it('400 for a RIB whose key does not verify (T1)', async () => {
    const wrongKey = { ...SEED_CONVENTION_BODY, beneficiary: { ...SEED_CONVENTION_BODY.beneficiary, bankAccount: { ...SEED_CONVENTION_BODY.beneficiary.bankAccount, key: '41' } } };
    const res = await t.http.post('/conventions').set(funder).send(wrongKey).expect(400);
    expect(res.body.code).toBe('INVALID_RIB_KEY');
  });

  it('400 MALFORMED_JSON and 413 PAYLOAD_TOO_LARGE', async () => {
    const malformed = await t.http.post('/conventions').set(funder).set('Content-Type', 'application/json').send('{"reference": ').expect(400);
    expect(malformed.body.code).toBe('MALFORMED_JSON');
    const huge = await t.http.post('/conventions').set(funder).send({ ...SEED_CONVENTION_BODY, title: 'x'.repeat(200_000) }).expect(413);
    expect(huge.body.code).toBe('PAYLOAD_TOO_LARGE');
  });

  it.each([
    ['a tranche that is a list', 'registration', { ...SEED_CONVENTION_BODY, tranches: [[]] }, 'tranches'],
    ['a tranche inside a nested list', 'registration', { ...SEED_CONVENTION_BODY, tranches: [[SEED_CONVENTION_BODY.tranches[0]]] }, 'tranches'],
    ['an amended ceiling of null', 'amendment', { changes: { ceiling: null } }, 'changes.ceiling'],
    ['an amended duration of null', 'amendment', { changes: { durationMonths: null } }, 'changes.durationMonths'],
    ['amended tranches of null', 'amendment', { changes: { tranches: null } }, 'changes.tranches'],
    ['an amended tranche that is a list', 'amendment', { changes: { tranches: [[]] } }, 'changes.tranches'],
  ])('400 VALIDATION_FAILED, never a 500, for %s (%s)', async (_label, command, body, field) => {
    const before = await headPosition();
    const res = command === 'registration'
      ? await t.http.post('/conventions').set(funder).send(body).expect(400)
      : await t.http.post(`/conventions/${id}/amendments`).set(funder)
        .send({ signedOn: '2020-11-02', signatories: { funder: 'Yves Le Breton', beneficiary: 'Nadi Bou Hanna' }, ...body }).expect(400);
    expect(res.body.code).toBe('VALIDATION_FAILED');
    expect(res.body.errors.map((e: { field: string }) => e.field)).toContain(field);
    expect(await headPosition()).toBe(before);
  });

  it('durations follow the domain limit (MAX_DURATION_MONTHS, 1200 months): 1201 is a 400 at the edge', async () => {
    const longest = await t.http.post('/conventions').set(funder).send({ ...SEED_CONVENTION_BODY, durationMonths: 1200 }).expect(201);
    expect(longest.body.id).toBeDefined();
    const res = await t.http.post('/conventions').set(funder).send({ ...SEED_CONVENTION_BODY, durationMonths: 1201 }).expect(400);
    expect(res.body.errors[0].field).toBe('durationMonths');
  });

  it('404 for an unknown convention and an unknown expense', async () => {
    const conv = await t.http.post('/conventions/00000000-0000-0000-0000-000000000000/signatures').set(funder)
      .send({ party: 'funder', signatory: 'x', signedOn: '2020-05-11' }).expect(404);
    expect(conv.body.code).toBe('CONVENTION_NOT_FOUND');
    const exp = await t.http.post(`/conventions/${id}/expenses/nope/service-done`).set(beneficiary).send({ on: '2020-06-01' }).expect(404);
    expect(exp.body.code).toBe('EXPENSE_NOT_FOUND');
  });

  it('D2: one subject never signs one statement in both roles', async () => {
    const both = bearer(TEST_TOKENS.bothSigningRoles);
    await t.http.post(`/conventions/${id}/statements`).set(beneficiary).send({ cutoff: '2020-06-30', final: false }).expect(201);
    await t.http.post(`/conventions/${id}/statements/1/signatures`).set(both).send({ as: 'authorizing-officer', signatory: 'A', signedOn: '2020-07-01' }).expect(201);
    const res = await t.http.post(`/conventions/${id}/statements/1/signatures`).set(both).send({ as: 'public-accountant', signatory: 'A', signedOn: '2020-07-01' }).expect(422);
    expect(res.body.code).toBe('SEPARATION_OF_DUTIES');
  });

  it('Idempotency-Key: a retry returns the first response and records once; another body is a 422', async () => {
    const body = { category: 'design', description: 'idempotent', amount: '12.34', committedOn: '2020-06-01' };
    const key = { 'Idempotency-Key': `commit-${Date.now()}` };
    const first = await t.http.post(`/conventions/${id}/expenses`).set(beneficiary).set(key).send(body).expect(201);
    const head = await headPosition();
    const retry = await t.http.post(`/conventions/${id}/expenses`).set(beneficiary).set(key).send(body).expect(201);
    expect(retry.body).toEqual(first.body);
    expect(await headPosition()).toBe(head);
    const other = await t.http.post(`/conventions/${id}/expenses`).set(beneficiary).set(key).send({ ...body, amount: '99.00' }).expect(422);
    expect(other.body.code).toBe('IDEMPOTENCY_KEY_REUSED');
  });

  it('Idempotency-Key: a refused command is answered the same way on retry', async () => {
    const key = { 'Idempotency-Key': `refused-${Date.now()}` };
    const body = { tranche: 3, amount: '1.00', paidOn: '2020-06-01' };
    const first = await t.http.post(`/conventions/${id}/payments`).set(funder).set(key).send(body).expect(422);
    const retry = await t.http.post(`/conventions/${id}/payments`).set(funder).set(key).send(body).expect(422);
    expect(retry.body).toEqual(first.body);
  });

  it('Idempotency-Key: two identical requests at the same time record once and answer alike', async () => {
    const body = { category: 'coaching', description: 'sent twice at once', amount: '7.00', committedOn: '2020-06-01' };
    const key = { 'Idempotency-Key': `simultaneous-${Date.now()}` };
    const before = await headPosition();
    const [a, b] = await Promise.all([0, 1].map(() => t.http.post(`/conventions/${id}/expenses`).set(beneficiary).set(key).send(body)));
    expect([a.status, b.status]).toEqual([201, 201]);
    expect(a.body).toEqual(b.body);
    expect(await headPosition()).toBe(before + 1);
  });

  it('Idempotency-Key: keys belong to their caller, so two callers may use the same one', async () => {
    const key = { 'Idempotency-Key': `shared-${Date.now()}` };
    const expenseBody = { category: 'design', description: 'caller one', amount: '1.00', committedOn: '2020-06-01' };
    await t.http.post(`/conventions/${id}/expenses`).set(beneficiary).set(key).send(expenseBody).expect(201);
    const other = await t.http.post(`/conventions/${id}/payments`).set(funder).set(key).send({ tranche: 1, amount: '1.00', paidOn: '2020-05-20' }).expect(201);
    expect(other.body.paymentId).toBeDefined();
  });

  it('50 concurrent commands on one convention are all recorded', async () => {
    const before = await headPosition();
    const responses = await Promise.all(
      Array.from({ length: 50 }, (_, i) =>
        t.http.post(`/conventions/${id}/expenses`).set(beneficiary)
          .send({ category: 'devops', description: `concurrent ${i}`, amount: '100.00', committedOn: '2020-07-01' }),
      ),
    );
    expect(responses.map((r) => r.status)).toEqual(Array(50).fill(201));
    expect(new Set(responses.map((r) => r.body.expenseId)).size).toBe(50);
    const positions = responses.map((r) => r.body.position as number);
    expect(new Set(positions).size).toBe(50);
    expect(await headPosition()).toBe(Math.max(...positions));
    expect(Math.min(...positions)).toBeGreaterThan(before);
  });

  it('serves the OpenAPI document', async () => {
    const res = await t.http.get('/docs-json').expect(200);
    expect(Object.keys(res.body.paths)).toEqual(expect.arrayContaining(['/conventions', '/conventions/{id}/fund-calls', '/conventions/{id}/balance', '/stats']));
    const payment = res.body.paths['/conventions/{id}/payments'].post;
    expect(Object.keys(payment.responses)).toEqual(expect.arrayContaining(['201', '400', '401', '403', '404', '409', '422']));
    expect(payment.responses['422'].content['application/json'].schema.$ref).toMatch(/ApiErrorResponse$/);
    expect(res.body.components.schemas.PayTrancheRequest.required).toEqual(expect.arrayContaining(['tranche', 'amount', 'paidOn']));
    expect(res.body.paths['/conventions/{id}/balance'].get.responses['200'].content['application/json'].schema.$ref).toMatch(/BalanceResponse$/);
    expect(res.body.components.schemas.BalanceResponse.required).toEqual(expect.arrayContaining(['provisional', 'restitution', 'owedToBeneficiary']));
    expect(Object.keys(res.body.components.schemas.StatementResponse.properties)).toEqual(expect.arrayContaining(['drawnUpOn', 'previousCumulativeTotal', 'corrections']));
  });
});
