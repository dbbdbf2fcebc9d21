import { ledgerOver } from '../support/ledger-http';
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
    id = await ledgerOver(t).active(SEED_CONVENTION_BODY.reference);
  });
  afterAll(async () => t.close());

  const headPosition = () => ledgerOver(t).headPosition();

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
    const longest = await t.http.post('/conventions').set(funder).send({ ...SEED_CONVENTION_BODY, reference: 'LONGEST', durationMonths: 1200 }).expect(201);
    expect(longest.body.id).toBeDefined();
    const res = await t.http.post('/conventions').set(funder).send({ ...SEED_CONVENTION_BODY, reference: 'TOO-LONG', durationMonths: 1201 }).expect(400);
    expect(res.body.errors[0].field).toBe('durationMonths');
  });

  it('404 for an unknown convention and an unknown expense', async () => {
    const conv = await t.http.post('/conventions/00000000-0000-0000-0000-000000000000/signatures').set(funder)
      .send({ party: 'funder', signatory: 'x', signedOn: '2020-05-11' }).expect(404);
    expect(conv.body.code).toBe('CONVENTION_NOT_FOUND');
    const exp = await t.http.post(`/conventions/${id}/expenses/nope/service-done`).set(beneficiary).send({ on: '2020-06-01' }).expect(404);
    expect(exp.body.code).toBe('EXPENSE_NOT_FOUND');
  });

  /** A convention of the test's own, in effect since 2020-05-11 (a reference of its own, T6). */
  async function activeConvention(reference: string, body: Record<string, unknown> = SEED_CONVENTION_BODY): Promise<string> {
    const convention = (await t.http.post('/conventions').set(funder).send({ ...body, reference }).expect(201)).body.id;
    await t.http.post(`/conventions/${convention}/signatures`).set(funder).send({ party: 'funder', signatory: 'Yves Le Breton', signedOn: '2020-05-11' }).expect(201);
    await t.http.post(`/conventions/${convention}/signatures`).set(beneficiary).send({ party: 'beneficiary', signatory: 'Nadi Bou Hanna', signedOn: '2020-05-11' }).expect(201);
    return convention;
  }

  it('a number in a path or a query string has one spelling: decimal digits (no 0x1, 1e0, +1, 1.0, 01)', async () => {
    const auditor = bearer(TEST_TOKENS.auditor);
    const id = await activeConvention('NUMBER-SPELLING');
    await t.http.post(`/conventions/${id}/statements`).set(beneficiary).send({ cutoff: '2020-06-30', final: false }).expect(201);
    await t.http.get(`/conventions/${id}/statements/1?minPosition=${await headPosition()}`).set(auditor).expect(200);
    for (const alias of ['0x1', '1e0', '+1', '1.0', '01', '%201']) {
      const res = await t.http.get(`/conventions/${id}/statements/${alias}`).set(auditor).expect(404);
      expect(res.body.code).toBe('STATEMENT_NOT_FOUND');
      await t.http.post(`/conventions/${id}/statements/${alias}/signatures`).set(bearer(TEST_TOKENS.authorizingOfficer))
        .send({ as: 'authorizing-officer', signatory: 'A', signedOn: '2020-07-01' }).expect(404);
    }
    for (const query of ['limit=0x10', 'limit=1e1', 'limit=+5', 'fromRevision=1.0', 'fromRevision=0x0']) {
      const res = await t.http.get(`/conventions/${id}/events?${query}`).set(auditor).expect(400);
      expect(res.body.code).toBe('VALIDATION_FAILED');
    }
    expect((await t.http.get(`/conventions/${id}/events?limit=16&fromRevision=0`).set(auditor).expect(200)).body.events.length).toBeGreaterThan(0);
  });

  it('D2: one subject never signs one statement in both roles', async () => {
    // Both roles act for one organisation only where the beneficiary is its own accounting
    // organisation (no accountingOrganisation named): the subject's organisation, DINUM.
    const both = bearer(TEST_TOKENS.bothSigningRoles);
    const { accountingOrganisation: _seeds, ...ownAccountant } = SEED_CONVENTION_BODY.beneficiary;
    const id = await activeConvention('D2-SUBJECT', { ...SEED_CONVENTION_BODY, beneficiary: ownAccountant });
    await t.http.post(`/conventions/${id}/statements`).set(beneficiary).send({ cutoff: '2020-06-30', final: false }).expect(201);
    await t.http.post(`/conventions/${id}/statements/1/signatures`).set(both).send({ as: 'authorizing-officer', signatory: 'A', signedOn: '2020-07-01' }).expect(201);
    const res = await t.http.post(`/conventions/${id}/statements/1/signatures`).set(both).send({ as: 'public-accountant', signatory: 'B', signedOn: '2020-07-01' }).expect(422);
    expect(res.body.code).toBe('SEPARATION_OF_DUTIES');
  });

  it('D2 (v2): one name never signs one statement in both roles, even through two tokens (two subjects)', async () => {
    const id = await activeConvention('D2-NAME');
    const statement = (await t.http.post(`/conventions/${id}/statements`).set(beneficiary).send({ cutoff: '2020-07-31', final: false }).expect(201)).body.number;
    await t.http.post(`/conventions/${id}/statements/${statement}/signatures`).set(bearer(TEST_TOKENS.authorizingOfficer))
      .send({ as: 'authorizing-officer', signatory: 'Jeanne Martin', signedOn: '2020-08-03' }).expect(201);
    const sameName = await t.http.post(`/conventions/${id}/statements/${statement}/signatures`).set(bearer(TEST_TOKENS.otherPublicAccountant))
      .send({ as: 'public-accountant', signatory: 'jeanne  MARTIN', signedOn: '2020-08-04' }).expect(422);
    expect(sameName.body).toMatchObject({ code: 'SEPARATION_OF_DUTIES', rule: 'D2' });
    await t.http.post(`/conventions/${id}/statements/${statement}/signatures`).set(bearer(TEST_TOKENS.otherPublicAccountant))
      .send({ as: 'public-accountant', signatory: 'Paul Durand', signedOn: '2020-08-04' }).expect(201);
  });

  it('M4: a business date after today (Europe/Paris) is a 422 DATE_IN_FUTURE, recording nothing', async () => {
    const expense = await expenseId();
    const before = await headPosition();
    const payment = await t.http.post(`/conventions/${id}/payments`).set(funder).send({ tranche: 1, amount: '1.00', paidOn: '2099-12-31' }).expect(422);
    expect(payment.body).toMatchObject({ statusCode: 422, code: 'DATE_IN_FUTURE', rule: 'M4', field: 'paidOn', date: '2099-12-31', today: expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/) });
    const invoice = await t.http.post(`/conventions/${id}/expenses/${expense}/service-done`).set(beneficiary)
      .send({ on: '2020-07-01', invoice: { number: 'F-1', issuedOn: '2099-01-01' } }).expect(422);
    expect(invoice.body).toMatchObject({ code: 'DATE_IN_FUTURE', field: 'invoice.issuedOn' });
    const drawnUp = await t.http.post(`/conventions/${id}/statements`).set(beneficiary).send({ cutoff: '2020-12-31', final: false, drawnUpOn: '2099-01-01' }).expect(422);
    expect(drawnUp.body).toMatchObject({ code: 'DATE_IN_FUTURE', field: 'drawnUpOn' });
    expect(await headPosition()).toBe(before);
  });

  /** An expense committed on 2020-06-01, for the step tests. */
  async function expenseId(): Promise<string> {
    return (await t.http.post(`/conventions/${id}/expenses`).set(beneficiary)
      .send({ category: 'devops', description: 'for a step', amount: '10.00', committedOn: '2020-06-01' }).expect(201)).body.expenseId;
  }

  describe('v1.1 fields at the edge', () => {
    const registration = (reference: string, changes: { funder?: object; beneficiary?: object } = {}) => ({
      ...SEED_CONVENTION_BODY, reference,
      funder: { ...SEED_CONVENTION_BODY.funder, ...changes.funder },
      beneficiary: { ...SEED_CONVENTION_BODY.beneficiary, ...changes.beneficiary },
    });
    const fieldsOf = (res: { body: { errors?: { field: string }[] } }) => (res.body.errors ?? []).map((e) => e.field);

    it('T1: each party needs an organisation of 1 to 64 characters; only the beneficiary may name an accounting organisation', async () => {
      const before = await headPosition();
      const { organisation: _omitted, ...funderWithout } = SEED_CONVENTION_BODY.funder;
      const missing = await t.http.post('/conventions').set(funder).send({ ...registration('ORG-MISSING'), funder: funderWithout }).expect(400);
      expect(fieldsOf(missing)).toEqual(['funder.organisation']);
      expect(fieldsOf(await t.http.post('/conventions').set(funder).send(registration('ORG-EMPTY', { beneficiary: { organisation: '' } })).expect(400)))
        .toEqual(['beneficiary.organisation']);
      expect(fieldsOf(await t.http.post('/conventions').set(funder).send(registration('ORG-LONG', { funder: { organisation: 'x'.repeat(65) } })).expect(400)))
        .toEqual(['funder.organisation']);
      const onFunder = await t.http.post('/conventions').set(funder).send(registration('ORG-ACCOUNTING', { funder: { accountingOrganisation: 'DRFIP-75' } })).expect(400);
      expect(onFunder.body.code).toBe('VALIDATION_FAILED');
      expect(fieldsOf(onFunder)).toEqual(['funder.accountingOrganisation']);
      expect(fieldsOf(await t.http.post('/conventions').set(funder).send(registration('HOLDER-LONG', { funder: { bankAccount: { ...SEED_CONVENTION_BODY.funder.bankAccount, holder: 'x'.repeat(301) } } })).expect(400)))
        .toEqual(['funder.bankAccount.holder']);
      expect(await headPosition()).toBe(before);
      // 64 characters pass (a funder registers in its own organisation's name: the beneficiary's here).
      await t.http.post('/conventions').set(funder).send(registration('ORG-64', { beneficiary: { organisation: 'x'.repeat(64) } })).expect(201);
    });

    it('E1: a payee SIRET must be 14 digits at the edge (400 VALIDATION_FAILED) and pass its Luhn key in the domain (400 INVALID_SIRET)', async () => {
      const before = await headPosition();
      const commit = (payee: unknown) => t.http.post(`/conventions/${id}/expenses`).set(beneficiary)
        .send({ category: 'devops', description: 'with a payee', amount: '10.00', committedOn: '2020-06-01', payee });
      expect(fieldsOf(await commit({ name: 'Atelier numérique SAS', siret: '7328293200007' }).expect(400))).toEqual(['payee.siret']);
      expect(fieldsOf(await commit({ siret: '73282932000074' }).expect(400))).toEqual(['payee.name']);
      const luhn = await commit({ name: 'Atelier numérique SAS', siret: '73282932000075' }).expect(400);
      expect(luhn.body).toMatchObject({ statusCode: 400, code: 'INVALID_SIRET', rule: 'E1', field: 'payee.siret' });
      expect(await headPosition()).toBe(before);
      await commit({ name: 'Atelier numérique SAS', siret: '73282932000074' }).expect(201);
      await commit({ name: 'Sans SIRET' }).expect(201);
    });

    it('E1-E3: the optional details are objects and texts of bounded length; unknown or null ones are refused', async () => {
      const expense = await expenseId();
      const step = (path: string, body: object) => t.http.post(`/conventions/${id}/expenses/${expense}/${path}`).set(beneficiary).send(body);
      expect(fieldsOf(await step('service-done', { on: '2020-07-01', invoice: { number: 'F-1' } }).expect(400))).toEqual(['invoice.issuedOn']);
      expect(fieldsOf(await step('service-done', { on: '2020-07-01', invoice: 'F-1' }).expect(400))).toEqual(['invoice']);
      expect(fieldsOf(await step('service-done', { on: '2020-07-01', invoice: { number: 'F-1', issuedOn: '2020-07-01', amount: '1.00' } }).expect(400)))
        .toEqual(['invoice.amount']);
      expect(fieldsOf(await step('service-done', { on: '2020-07-01', invoice: null }).expect(400))).toEqual(['invoice']);
      await step('service-done', { on: '2020-07-01', invoice: { number: 'F-1', issuedOn: '2020-07-01' } }).expect(200);
      expect(fieldsOf(await step('payment', { paidOn: '2020-07-15', paymentOrder: 'x'.repeat(201) }).expect(400))).toEqual(['paymentOrder']);
      await step('payment', { paidOn: '2020-07-15', paymentOrder: 'MP-1' }).expect(200);
      const rejection = await t.http.post(`/conventions/${id}/expenses/${expense}/rejection`).set(funder)
        .send({ on: '2020-07-20', reason: 'hors objet', recoveryOrder: '' }).expect(400);
      expect(fieldsOf(rejection)).toEqual(['recoveryOrder']);
      const commitment = await t.http.post(`/conventions/${id}/expenses`).set(beneficiary)
        .send({ category: 'devops', description: 'x', amount: '10.00', committedOn: '2020-06-01', commitmentNumber: null, contract: null }).expect(400);
      expect(fieldsOf(commitment).sort()).toEqual(['commitmentNumber', 'contract']);
      expect(fieldsOf(await t.http.post(`/conventions/${id}/statements`).set(beneficiary).send({ cutoff: '2020-12-31', final: false, drawnUpOn: '2020-12-32' }).expect(400)))
        .toEqual(['drawnUpOn']);
    });
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
    // 415 (content type, charset) on every POST; 503 (STORE_UNAVAILABLE) on every command, from one shared declaration.
    const posts = Object.entries(res.body.paths as Record<string, { post?: { responses: Record<string, unknown> } }>).filter(([, item]) => item.post);
    expect(posts.length).toBeGreaterThan(15);
    for (const [route, item] of posts) expect([route, Object.keys(item.post!.responses)]).toEqual([route, expect.arrayContaining(['415'])]);
    for (const [route, item] of posts.filter(([route]) => route.startsWith('/conventions'))) expect([route, Object.keys(item.post!.responses)]).toEqual([route, expect.arrayContaining(['503'])]);
    expect(payment.responses['422'].content['application/json'].schema.$ref).toMatch(/ApiErrorResponse$/);
    expect(res.body.components.schemas.PayTrancheRequest.required).toEqual(expect.arrayContaining(['tranche', 'amount', 'paidOn']));
    expect(res.body.paths['/conventions/{id}/balance'].get.responses['200'].content['application/json'].schema.$ref).toMatch(/BalanceResponse$/);
    expect(res.body.components.schemas.BalanceResponse.required).toEqual(expect.arrayContaining(['provisional', 'restitution', 'owedToBeneficiary']));
    expect(Object.keys(res.body.components.schemas.StatementResponse.properties)).toEqual(expect.arrayContaining(['drawnUpOn', 'previousCumulativeTotal', 'corrections']));
  });

  it('documents the v1.1 endpoint and fields, each with an example', async () => {
    const { paths, components: { schemas } } = (await t.http.get('/docs-json').expect(200)).body;
    const settlement = paths['/conventions/{id}/settlement-payments'].post;
    expect(Object.keys(settlement.responses)).toEqual(expect.arrayContaining(['201', '400', '403', '409', '422']));
    expect(settlement.requestBody.content['application/json'].schema.$ref).toMatch(/PaySettlementRequest$/);
    expect(schemas.PaySettlementRequest.required).toEqual(['amount', 'paidOn']);
    const examples = (schema: string, fields: string[]) => fields.map((f) => [f, schemas[schema].properties[f]?.example !== undefined || schemas[schema].properties[f]?.$ref !== undefined || schemas[schema].properties[f]?.allOf !== undefined]);
    const all = (fields: string[]) => fields.map((f) => [f, true]);
    const cases: Array<[string, string[]]> = [
      ['FunderRequest', ['organisation']],
      ['BeneficiaryRequest', ['organisation', 'accountingOrganisation']],
      ['BankAccountRequest', ['holder']],
      ['CommitExpenseRequest', ['payee', 'commitmentNumber']],
      ['PayeeRequest', ['name', 'siret']],
      ['RecordServiceDoneRequest', ['invoice']],
      ['InvoiceRequest', ['number', 'issuedOn']],
      ['RecordExpensePaymentRequest', ['paymentOrder']],
      ['RejectExpenseRequest', ['recoveryOrder']],
      ['DrawUpStatementRequest', ['drawnUpOn']],
      ['TerminateConventionRequest', ['decidedOn', 'effectiveOn', 'on', 'reason']],
      ['AmendmentChangesRequest', ['expenseCategories', 'funder', 'beneficiary']],
      ['PartyChangesRequest', ['representative', 'bankAccount']],
      ['PaySettlementRequest', ['amount', 'paidOn', 'reference']],
    ];
    for (const [schema, fields] of cases) expect([schema, examples(schema, fields)]).toEqual([schema, all(fields)]);
    expect(schemas.FunderRequest.properties.accountingOrganisation).toBeUndefined();
    expect(schemas.TerminateConventionRequest.properties.decidedBy.enum).toEqual(['funder', 'beneficiary']);
    expect(paths['/conventions/{id}/termination'].post.summary).toBe('roles: funder, beneficiary');
  });
});
