import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import request from 'supertest';
import { startApiProcess, type ApiProcess } from '../support/api-process';
import { SEED_CONVENTION_BODY } from '../support/seed-http';
import { bearer, TEST_TOKEN_TABLE, TEST_TOKENS } from '../support/test-app';

const funder = bearer(TEST_TOKENS.funder);
const beneficiary = bearer(TEST_TOKENS.beneficiary);
const signatories = { funder: 'Yves Le Breton', beneficiary: 'Nadi Bou Hanna' };
const NEW_ACCOUNT = { bankCode: '20041', branchCode: '01005', accountNumber: '00012345678', key: '35', holder: 'DINUM régie' };

interface LogLine { level: number; msg: string; requestId?: string; method?: string; path?: string; subject?: string; organisation?: string; command?: string; statusCode?: number; code?: string }

/**
 * The real API process writes one JSON line per request with who, what and how it ended, and
 * never a token nor a bank account (docs/architecture.md, "Logs"). A lifecycle with bank
 * accounts (the seed body, an amendment replacing one, a refused one) is driven over HTTP and
 * the captured output is searched.
 */
describe('structured JSON logs of the real API process', () => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'convention-ledger-logs-'));
  let api: ApiProcess;

  beforeAll(async () => {
    api = await startApiProcess({ DATA_DIR: dataDir, AUTH_MODE: '', AUTH_TOKENS: JSON.stringify(TEST_TOKEN_TABLE) });
  }, 180_000);
  afterAll(async () => {
    await api?.kill();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('one line per request with request id, subject, organisation, command and outcome; no token, no bank account', async () => {
    const http = request(api.url);
    const registered = await http.post('/conventions').set(funder).set('X-Request-Id', 'log-test-register').send(SEED_CONVENTION_BODY).expect(201);
    const id = registered.body.id as string;
    await http.post(`/conventions/${id}/signatures`).set(funder).send({ party: 'funder', signatory: 'Yves Le Breton', signedOn: '2020-05-11' }).expect(201);
    await http.post(`/conventions/${id}/signatures`).set(beneficiary).send({ party: 'beneficiary', signatory: 'Nadi Bou Hanna', signedOn: '2020-05-11' }).expect(201);
    await http.post(`/conventions/${id}/amendments`).set(funder).send({ signedOn: '2020-10-01', signatories, changes: { beneficiary: { bankAccount: NEW_ACCOUNT } } }).expect(201);
    const refused = await http.post(`/conventions/${id}/amendments`).set(funder).set('X-Request-Id', 'log-test-wrong-rib')
      .send({ signedOn: '2020-10-02', signatories, changes: { funder: { bankAccount: { ...NEW_ACCOUNT, key: '36' } } } }).expect(400);
    expect(refused.body.code).toBe('INVALID_RIB_KEY');
    await http.post(`/conventions/${id}/expenses`).set(beneficiary).set('X-Request-Id', 'log-test-invalid').send({ category: 'devops', amount: 12 }).expect(400);
    await http.get(`/conventions/${id}`).set(bearer(TEST_TOKENS.auditor)).expect(200);
    await http.get('/conventions').set(bearer('token-that-does-not-exist')).set('X-Request-Id', 'log-test-unknown-token').expect(401);
    // Every request line is written once its answer is sent: the last one is flushed by now.
    await new Promise((resolve) => setTimeout(resolve, 300));

    const output = api.output();
    const secrets = [
      ...Object.values(TEST_TOKENS), 'token-that-does-not-exist',
      ...[SEED_CONVENTION_BODY.funder.bankAccount, SEED_CONVENTION_BODY.beneficiary.bankAccount, NEW_ACCOUNT].flatMap((account) => [account.accountNumber, `${account.bankCode}${account.branchCode}`]),
      'DINUM régie',
    ];
    for (const secret of secrets) expect([secret, output.includes(secret)]).toEqual([secret, false]);

    const lines = output.split('\n').filter((line) => line.startsWith('{')).map((line) => JSON.parse(line) as LogLine);
    expect(lines.some((line) => /listening on :\d+/.test(line.msg))).toBe(true);
    const requestLines = lines.filter((line) => line.msg === 'request answered');
    const byId = (requestId: string) => requestLines.filter((line) => line.requestId === requestId);
    expect(byId('log-test-register')).toEqual([expect.objectContaining({ method: 'POST', path: '/conventions', subject: 'anct-finance', organisation: '130026032', command: 'RegisterConvention', statusCode: 201 })]);
    expect(byId('log-test-wrong-rib')).toEqual([expect.objectContaining({ subject: 'anct-finance', command: 'AmendConvention', statusCode: 400, code: 'INVALID_RIB_KEY' })]);
    expect(byId('log-test-invalid')).toEqual([expect.objectContaining({ subject: 'dinum-finance', organisation: '120027016', command: 'CommitExpense', statusCode: 400, code: 'VALIDATION_FAILED' })]);
    expect(byId('log-test-unknown-token')).toEqual([expect.objectContaining({ statusCode: 401, code: 'UNAUTHENTICATED' })]);
    expect(byId('log-test-unknown-token')[0].subject).toBeUndefined();
    expect(requestLines).toHaveLength(8);
    for (const line of requestLines) expect(line.requestId).toMatch(/^[A-Za-z0-9._:-]+$/);
  });
});
