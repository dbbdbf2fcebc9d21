import { ledgerOver } from '../support/ledger-http';
import { SEED_CONVENTION_BODY } from '../support/seed-http';
import { bearer, startTestApp, TEST_TOKENS, type TestApp } from '../support/test-app';

const funder = bearer(TEST_TOKENS.funder);
const beneficiary = bearer(TEST_TOKENS.beneficiary);
const JSON_TYPE = { 'Content-Type': 'application/json' };

/** JSON text of `body` with the placeholder string "@@" replaced by `raw` (any JSON text, valid or not). */
const withRaw = (body: Record<string, unknown>, raw: string) => JSON.stringify(body).replace('"@@"', () => raw);
const nested = (levels: number) => '{"a":'.repeat(levels) + '1' + '}'.repeat(levels);
const expense = (changes: Record<string, unknown> = {}) => ({ category: 'devops', description: 'x', amount: '10.00', committedOn: '2020-06-01', ...changes });

/**
 * The body-parsing stage (apps/api/src/http/body-parsing.ts, strict-json.ts): bodies JSON.parse
 * would accept but the API must not, and bodies that are not UTF-8 JSON, are 4xx with a stable
 * code before validation runs, and record nothing.
 */
describe('HTTP edge: strict JSON bodies and content types', () => {
  let t: TestApp;
  let id: string;

  beforeAll(async () => {
    t = await startTestApp();
    id = await ledgerOver(t).active(SEED_CONVENTION_BODY.reference);
  });
  afterAll(async () => t.close());

  const headPosition = () => ledgerOver(t).headPosition();
  const postExpense = (text: string | Buffer, headers: Record<string, string> = JSON_TYPE) =>
    t.http.post(`/conventions/${id}/expenses`).set(beneficiary).set(headers).serialize((body) => body).send(text);
  const postRegistration = (text: string) => t.http.post('/conventions').set(funder).set(JSON_TYPE).send(text);

  it.each([
    ['1,500-level nesting in an expense contract', 'expense', withRaw(expense({ contract: '@@' }), nested(1_500)), 'BODY_TOO_DEEP'],
    ['65-level nesting in an expense contract', 'expense', withRaw(expense({ contract: '@@' }), nested(65)), 'BODY_TOO_DEEP'],
    ['1,500-level nesting in a registration', 'registration', withRaw({ ...SEED_CONVENTION_BODY, reference: 'DEEP', budget: '@@' }, nested(1_500)), 'BODY_TOO_DEEP'],
    ['1,500-level nested arrays in a registration', 'registration', withRaw({ ...SEED_CONVENTION_BODY, reference: 'DEEP-ARRAYS', tranches: '@@' }, '['.repeat(1_500) + ']'.repeat(1_500)), 'BODY_TOO_DEEP'],
    ['a lone surrogate in description', 'expense', withRaw(expense({ description: '@@' }), '"x\\ud800"'), 'INVALID_UNICODE'],
    ['a lone low surrogate in a key', 'expense', withRaw(expense({ description: 'ok' }), '"ok"').replace('"category"', '"category\\udc00"'), 'INVALID_UNICODE'],
    ['a __proto__ key', 'expense', withRaw(expense({ description: '@@' }), '"x","__proto__":{"amount":"99999.00"}'), 'FORBIDDEN_KEY'],
    ['a nested constructor key', 'registration', withRaw({ ...SEED_CONVENTION_BODY, reference: 'CTOR', funder: '@@' }, '{"constructor":{"prototype":{}}}'), 'FORBIDDEN_KEY'],
    ['a prototype key', 'expense', withRaw(expense({ description: '@@' }), '"x","prototype":1'), 'FORBIDDEN_KEY'],
    ['a duplicate key', 'expense', withRaw(expense({ description: '@@' }), '"x","amount":"99999.00"'), 'DUPLICATE_KEY'],
    ['a duplicate key spelt with an escape', 'registration', withRaw({ ...SEED_CONVENTION_BODY, reference: '@@' }, '"DUP","\\u0072eference":"DUP-2"'), 'DUPLICATE_KEY'],
  ])('400 for %s (%s), never a 500, recording nothing', async (_label, command, text, code) => {
    const before = await headPosition();
    const res = command === 'expense' ? await postExpense(text).expect(400) : await postRegistration(text).expect(400);
    expect(res.body).toMatchObject({ statusCode: 400, code });
    expect(await headPosition()).toBe(before);
  });

  it('400 INVALID_UTF8 for bytes that are not UTF-8 (a Latin-1 é, an encoded surrogate), recording nothing', async () => {
    const before = await headPosition();
    const latin1 = Buffer.concat([Buffer.from('{"category":"devops","description":"caf'), Buffer.from([0xe9]), Buffer.from('","amount":"10.00","committedOn":"2020-06-01"}')]);
    expect((await postExpense(latin1).expect(400)).body).toMatchObject({ statusCode: 400, code: 'INVALID_UTF8' });
    const surrogate = Buffer.concat([Buffer.from('{"category":"devops","description":"x'), Buffer.from([0xed, 0xa0, 0x80]), Buffer.from('","amount":"10.00","committedOn":"2020-06-01"}')]);
    expect((await postExpense(surrogate).expect(400)).body.code).toBe('INVALID_UTF8');
    expect(await headPosition()).toBe(before);
  });

  it.each([
    ['text/plain', { 'Content-Type': 'text/plain' }, 'UNSUPPORTED_MEDIA_TYPE'],
    ['application/x-www-form-urlencoded', { 'Content-Type': 'application/x-www-form-urlencoded' }, 'UNSUPPORTED_MEDIA_TYPE'],
    ['application/merge-patch+json', { 'Content-Type': 'application/merge-patch+json' }, 'UNSUPPORTED_MEDIA_TYPE'],
    ['a latin1 charset', { 'Content-Type': 'application/json; charset=latin1' }, 'UNSUPPORTED_CHARSET'],
    ['a utf-16 charset', { 'Content-Type': 'application/json; charset=utf-16' }, 'UNSUPPORTED_CHARSET'],
  ])('415 for a JSON body sent as %s, recording nothing', async (_label, headers, code) => {
    const before = await headPosition();
    const res = await postExpense(JSON.stringify(expense()), headers).expect(415);
    expect(res.body).toMatchObject({ statusCode: 415, code });
    expect(await headPosition()).toBe(before);
  });

  it('415 UNSUPPORTED_MEDIA_TYPE without a Content-Type, with a body or without one', async () => {
    const before = await headPosition();
    const withBody = await t.http.post(`/conventions/${id}/expenses`).set(beneficiary).serialize((body) => body)
      .send(JSON.stringify(expense())).unset('Content-Type').expect(415);
    expect(withBody.body).toMatchObject({ statusCode: 415, code: 'UNSUPPORTED_MEDIA_TYPE' });
    const empty = await t.http.post(`/conventions/${id}/statements`).set(beneficiary).expect(415);
    expect(empty.body.code).toBe('UNSUPPORTED_MEDIA_TYPE');
    expect(await headPosition()).toBe(before);
  });

  it('authentication still comes first: 401 for an unauthenticated text/plain or over-deep body', async () => {
    const plain = await t.http.post(`/conventions/${id}/expenses`).set('Content-Type', 'text/plain').send('hello').expect(401);
    expect(plain.body.code).toBe('UNAUTHENTICATED');
    const deep = await t.http.post(`/conventions/${id}/expenses`).set(JSON_TYPE).send(withRaw(expense({ contract: '@@' }), nested(1_500))).expect(401);
    expect(deep.body.code).toBe('UNAUTHENTICATED');
  });

  it('application/json with no charset, charset=utf-8 or UTF-8 (any case) passes (and its alias utf8); well-formed Unicode passes', async () => {
    for (const contentType of ['application/json', 'application/json; charset=utf-8', 'Application/JSON; Charset="UTF-8"', 'application/json; charset=utf8']) {
      const res = await postExpense(JSON.stringify(expense({ description: `as ${contentType}` })), { 'Content-Type': contentType }).expect(201);
      expect(res.body.expenseId).toBeDefined();
    }
    await postExpense(JSON.stringify(expense({ description: 'é 😀 \u00e9 \ud83d\ude00', contract: 'Marché «\u00a0public\u00a0»' }))).expect(201);
  });

  it('GET requests are unaffected (no Content-Type needed)', async () => {
    await t.http.get(`/conventions/${id}`).set(beneficiary).expect(200);
  });

  it('MALFORMED_JSON and PAYLOAD_TOO_LARGE stay as they were', async () => {
    const before = await headPosition();
    expect((await postExpense('{"category": ').expect(400)).body.code).toBe('MALFORMED_JSON');
    expect((await postExpense('"a string"').expect(400)).body.code).toBe('MALFORMED_JSON');
    expect((await postExpense(JSON.stringify(expense({ description: 'x'.repeat(200_000) }))).expect(413)).body.code).toBe('PAYLOAD_TOO_LARGE');
    expect(await headPosition()).toBe(before);
  });
});
