import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { createLedgerClient, type LedgerClient } from '../../libs/api-client/src';
import { CLIENT_FILES, documentSource } from '../../scripts/api-client/client-files';
import { OpenApiConformance } from '../support/openapi-conformance';
import { SEED_CONVENTION_BODY } from '../support/seed-http';
import { startTestApp, TEST_TOKENS, type TestApp } from '../support/test-app';

const ROOT = path.resolve(__dirname, '../..');
const VALIDATOR_CLI = path.join(ROOT, 'node_modules/@seriousme/openapi-schema-validator/bin/validate-api-cli.js');

/** Runs the OpenAPI 3.x schema validator's own command on a document; resolves with its verdict. */
async function validateOpenApi(document: object): Promise<{ valid: boolean; output: string }> {
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'openapi-')), 'openapi.json');
  fs.writeFileSync(file, JSON.stringify(document));
  try {
    const { stdout, stderr } = await promisify(execFile)(process.execPath, [VALIDATOR_CLI, file]);
    return { valid: true, output: stdout + stderr };
  } catch (error) {
    const { stdout = '', stderr = '' } = error as { stdout?: string; stderr?: string };
    return { valid: false, output: stdout + stderr };
  } finally {
    fs.rmSync(path.dirname(file), { recursive: true, force: true });
  }
}

describe('the OpenAPI document and the client generated from it (docs/integrations.md)', () => {
  let t: TestApp;
  let document: object;
  let baseUrl: string;

  beforeAll(async () => {
    t = await startTestApp();
    await t.app.listen(0, '127.0.0.1');
    baseUrl = `http://127.0.0.1:${(t.app.getHttpServer().address() as { port: number }).port}`;
    document = (await t.http.get('/docs-json').expect(200)).body;
  });
  afterAll(async () => {
    await t?.close();
  });

  it('validates against the OpenAPI 3.x schema, and the check fails on a broken document', async () => {
    const verdict = await validateOpenApi(document);
    expect(verdict).toEqual({ valid: true, output: expect.any(String) });

    const broken = structuredClone(document) as { paths: Record<string, Record<string, { responses: unknown }>> };
    broken.paths['/conventions'].post.responses = 'none';
    expect((await validateOpenApi(broken)).valid).toBe(false);
  });

  it('is the committed document, and the committed client is generated from what the code declares now', async () => {
    expect(fs.readFileSync(path.join(ROOT, CLIENT_FILES.document), 'utf8')).toBe(documentSource(document));
    // The generator itself (openapi-typescript, ES modules) runs as the npm script does, in its own process.
    const check = await promisify(execFile)(process.execPath, [
      '-r', 'ts-node/register/transpile-only', '-r', 'tsconfig-paths/register', 'scripts/api-client/generate-api-client.ts', '--check',
    ], { cwd: ROOT }).catch((error: { code: number; stdout: string; stderr: string }) => error);
    expect(check.stderr).toBe('');
    expect(check.stdout).toContain(`up to date  ${CLIENT_FILES.schema}`);
  });

  it('drives the reference lifecycle through the typed client, each answer as the document declares it', async () => {
    const conformance = new OpenApiConformance(document);
    const problems: string[] = [];
    const clientOf = (token: string): LedgerClient => {
      const client = createLedgerClient({ baseUrl, token });
      client.use({
        async onResponse({ request, response, schemaPath }) {
          if (response.headers.get('content-type')?.startsWith('application/json')) {
            problems.push(...conformance.problems(request.method, schemaPath, response.status, await response.clone().json()));
          }
        },
      });
      return client;
    };
    const funder = clientOf(TEST_TOKENS.funder);
    const beneficiary = clientOf(TEST_TOKENS.beneficiary);
    const accountant = clientOf(TEST_TOKENS.publicAccountant);
    const officer = clientOf(TEST_TOKENS.authorizingOfficer);
    const auditor = clientOf(TEST_TOKENS.auditor);
    const idempotent = (key: string) => ({ header: { 'Idempotency-Key': `client-e2e-${key}` } });

    const registered = await funder.POST('/conventions', { params: idempotent('register'), body: SEED_CONVENTION_BODY });
    expect(registered.response.status).toBe(201);
    const id = registered.data!.id;
    const convention = { path: { id } };

    for (const [client, party, signatory] of [[funder, 'funder', 'Yves Le Breton'], [beneficiary, 'beneficiary', 'Nadi Bou Hanna']] as const) {
      const signed = await client.POST('/conventions/{id}/signatures', { params: convention, body: { party, signatory, signedOn: '2020-05-11' } });
      expect(signed.response.status).toBe(201);
    }
    expect((await funder.POST('/conventions/{id}/payments', { params: convention, body: { tranche: 1, amount: '800000.00', paidOn: '2020-05-20' } })).response.status).toBe(201);

    // A refusal arrives as the typed error body, its code stable (docs/api.md).
    const early = await funder.POST('/conventions/{id}/payments', { params: convention, body: { tranche: 2, amount: '1.00', paidOn: '2020-05-20' } });
    expect(early.response.status).toBe(422);
    expect(early.error?.code).toBe('TRANCHE_NOT_DUE');

    async function acceptedExpense(category: string, amount: string, on: { committed: string; done: string; paid: string; accepted: string }) {
      const committed = await beneficiary.POST('/conventions/{id}/expenses', { params: convention, body: { category, description: `${category} work`, amount, committedOn: on.committed } });
      const expense = { path: { id, expenseId: committed.data!.expenseId } };
      await beneficiary.POST('/conventions/{id}/expenses/{expenseId}/service-done', { params: expense, body: { on: on.done } });
      await beneficiary.POST('/conventions/{id}/expenses/{expenseId}/payment', { params: expense, body: { paidOn: on.paid } });
      const accepted = await accountant.POST('/conventions/{id}/expenses/{expenseId}/acceptance', { params: expense, body: { on: on.accepted } });
      expect(accepted.response.status).toBe(200);
    }
    async function signedStatement(number: number, signedOn: [string, string]) {
      const statement = { path: { id, number } };
      await officer.POST('/conventions/{id}/statements/{number}/signatures', { params: statement, body: { as: 'authorizing-officer', signatory: 'Ordonnateur DINUM', signedOn: signedOn[0] } });
      const second = await accountant.POST('/conventions/{id}/statements/{number}/signatures', { params: statement, body: { as: 'public-accountant', signatory: 'Comptable CBCM', signedOn: signedOn[1] } });
      expect(second.response.status).toBe(201);
    }

    await acceptedExpense('devops', '300000.00', { committed: '2020-06-01', done: '2020-09-30', paid: '2020-10-15', accepted: '2020-10-20' });
    await acceptedExpense('design', '160000.25', { committed: '2020-06-02', done: '2020-10-30', paid: '2020-11-15', accepted: '2020-11-20' });
    await acceptedExpense('coaching', '150000.50', { committed: '2020-06-03', done: '2020-11-30', paid: '2020-12-15', accepted: '2020-12-20' });
    const first = await beneficiary.POST('/conventions/{id}/statements', { params: convention, body: { cutoff: '2020-12-31', final: false } });
    expect(first.data).toMatchObject({ number: 1, total: '610000.75', cumulativeTotal: '610000.75' });
    await signedStatement(1, ['2021-01-05', '2021-01-06']);

    const called = await beneficiary.POST('/conventions/{id}/fund-calls', { params: convention, body: { tranche: 2, statement: 1, issuedOn: '2021-01-10' } });
    expect(called.data?.tranche).toBe(2);
    await funder.POST('/conventions/{id}/payments', { params: convention, body: { tranche: 2, amount: '400000.00', paidOn: '2021-01-20' } });

    await acceptedExpense('deployment', '50000.00', { committed: '2021-02-01', done: '2021-03-01', paid: '2021-04-01', accepted: '2021-04-15' });
    const final = await beneficiary.POST('/conventions/{id}/statements', { params: convention, body: { cutoff: '2021-05-11', final: true, drawnUpOn: '2021-05-14' } });
    expect(final.data).toMatchObject({ number: 2, final: true, cumulativeTotal: '660000.75' });
    await signedStatement(2, ['2021-05-20', '2021-05-21']);

    const closed = await funder.POST('/conventions/{id}/closure', { params: convention, body: { on: '2021-06-30', statement: 2 } });
    expect(closed.data).toMatchObject({ consumed: '660000.75', received: '1200000.00', restitutionDue: '539999.25', lapsedTranches: [3], settled: false });
    const restituted = await beneficiary.POST('/conventions/{id}/restitutions', { params: convention, body: { amount: '539999.25', paidOn: '2021-07-15' } });
    expect(restituted.data?.settled).toBe(true);

    // Read your write: every read waits for the projection of the last position recorded.
    const readAfter = { path: { id }, query: { minPosition: restituted.data!.position } };
    const balance = await auditor.GET('/conventions/{id}/balance', { params: readAfter });
    expect(balance.data).toMatchObject({ status: 'settled', received: '1200000.00', consumed: '660000.75', restitution: { due: '539999.25', paid: '539999.25', outstanding: '0.00' } });
    expect((await auditor.GET('/conventions/{id}', { params: readAfter })).data?.status).toBe('settled');
    expect((await auditor.GET('/conventions/{id}/expenses', { params: readAfter })).response.status).toBe(200);
    expect((await auditor.GET('/conventions/{id}/statements', { params: readAfter })).data?.statements).toHaveLength(2);
    // The statement also answers CSV and PDF (docs/api.md): its JSON form is the object of the union.
    const finalStatement = (await auditor.GET('/conventions/{id}/statements/{number}', { params: { ...readAfter, path: { id, number: 2 } } })).data;
    expect(typeof finalStatement === 'object' && finalStatement.valid).toBe(true);
    expect((await auditor.GET('/conventions/{id}/events', { params: readAfter })).response.status).toBe(200);
    expect((await auditor.GET('/conventions', { params: { query: { reference: SEED_CONVENTION_BODY.reference } } })).response.status).toBe(200);

    expect(problems).toEqual([]);
  });
});
