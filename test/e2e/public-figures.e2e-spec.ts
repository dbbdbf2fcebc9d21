import { parseCsv } from '../read-models/support/csv';
import { canonicalFromFrench } from '../support/french-figures';
import { AS, ledgerOver } from '../support/ledger-http';
import { startTestApp, type TestApp } from '../support/test-app';

const { accountant } = AS;

/**
 * Issue 11 item 7, over HTTP without a browser: /stats as JSON and as a page, /stats.json, and
 * /open-data/conventions in JSON pages and CSV, all public. Three conventions: one active with
 * two payments and two accepted expenses, one active whose only accepted expense is rejected
 * later, and one never signed.
 */
describe('the public figures: /stats, /stats.json, /open-data/conventions', () => {
  let t: TestApp;
  let ids: string[];

  beforeAll(async () => {
    t = await startTestApp();
    const ledger = ledgerOver(t);
    const first = await ledger.active('PUBLIC-1');
    await ledger.payTranche(first, 1, '500000.00', '2020-05-20');
    await ledger.payTranche(first, 1, '300000.00', '2020-06-20');
    await ledger.expense(first, '100000.10', { committed: '2020-06-01', done: '2020-06-10', paid: '2020-06-15', accepted: '2020-06-20' });
    await ledger.expense(first, '20000.05', { committed: '2020-06-02', done: '2020-06-11', paid: '2020-06-16', accepted: '2020-07-01' });
    const second = await ledger.active('PUBLIC-2', '2020-06-01');
    await ledger.payTranche(second, 1, '800000.00', '2020-06-05');
    const rejected = await ledger.expense(second, '5000.00', { committed: '2020-06-03', done: '2020-06-04', paid: '2020-06-05', accepted: '2020-06-20' });
    await t.http.post(`/conventions/${second}/expenses/${rejected}/rejection`).set(accountant).send({ on: '2020-08-01', reason: 'inéligible' }).expect(200);
    const third = await ledger.register('PUBLIC-3');
    ids = [first, second, third];
    // Every test reads the read models: once they hold the whole set-up (the projector paces its
    // batches, docs/read-models.md, so the last events may still be on their way).
    await t.http.get(`/stats.json?minPosition=${await ledger.headPosition()}`).expect(200);
  });
  afterAll(async () => t.close());

  it('/stats.json, public: counts by status, totals, rates, restitutions, and the history of received vs consumed', async () => {
    const stats = (await t.http.get('/stats.json').expect(200)).body;
    expect(stats).toMatchObject({
      conventions: { total: 3, byStatus: { draft: 1, active: 2, closed: 0, terminated: 0, settled: 0 } },
      ceiling: '4800000.00', received: '1600000.00', consumed: '120000.15',
      consumptionRate: { ofCeiling: '2.50', ofReceived: '7.50' },
      restitution: { due: '0.00', paid: '0.00' },
    });
    expect(stats.history).toEqual([
      { on: '2020-05-20', received: '500000.00', consumed: '0.00' },
      { on: '2020-06-05', received: '1300000.00', consumed: '0.00' },
      { on: '2020-06-20', received: '1600000.00', consumed: '105000.10' },
      { on: '2020-07-01', received: '1600000.00', consumed: '125000.15' },
      { on: '2020-08-01', received: '1600000.00', consumed: '120000.15' },
    ]);
  });

  it('/stats answers JSON to API clients as before (no Accept, */*, application/json), the same as /stats.json', async () => {
    const json = (await t.http.get('/stats.json').expect(200)).body;
    for (const accept of [undefined, '*/*', 'application/json']) {
      const res = await (accept ? t.http.get('/stats').set('Accept', accept) : t.http.get('/stats')).expect(200);
      expect(res.headers['content-type']).toMatch(/^application\/json/);
      expect(res.body).toEqual(json);
    }
  });

  it('/stats is a page for a browser: the figures of /stats.json in French, an inline SVG chart, no script, its own stylesheet allowed by hash', async () => {
    const json = (await t.http.get('/stats.json').expect(200)).body;
    const res = await t.http.get('/stats').set('Accept', 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8').expect(200);
    expect(res.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(res.headers['content-security-policy']).toMatch(/^default-src 'none'; style-src 'sha256-[A-Za-z0-9+/]+=*';/);
    expect(res.text).not.toMatch(/<script|\son[a-z]+=|style="/i);
    expect(res.text).toMatch(/<svg [^>]*id="received-vs-consumed"/);
    const shown = Object.fromEntries([...res.text.matchAll(/data-indicator="([^"]+)">([^<]*)</g)].map(([, key, text]) => [key, canonicalFromFrench(text)]));
    const valueAt = (path: string) => path.split('.').reduce<unknown>((value, key) => (value as Record<string, unknown>)[key], json);
    expect(Object.keys(shown)).toEqual(expect.arrayContaining(['ceiling', 'received', 'consumed', 'consumptionRate.ofCeiling', 'restitution.due', 'restitution.paid', 'conventions.byStatus.draft']));
    for (const [path, text] of Object.entries(shown)) expect([path, text]).toEqual([path, String(valueAt(path))]);
  });

  it('/open-data/conventions, public: each convention\'s public facts as 360Giving grants, never a bank detail or a person\'s name', async () => {
    const res = await t.http.get('/open-data/conventions').expect(200);
    expect(res.body.next).toBeNull();
    expect(res.body.grants.map((g: { id: string }) => g.id)).toEqual([...ids].sort());
    expect(res.body.grants.find((g: { id: string }) => g.id === ids[0])).toEqual({
      id: ids[0], reference: 'PUBLIC-1', title: 'Convention de partenariat ANCT – DINUM : incubateur de services numériques',
      currency: 'EUR', amountAwarded: '1600000.00', amountDisbursed: '800000.00', amountConsumed: '120000.15', awardDate: '2020-05-11',
      plannedDates: [{ startDate: '2020-05-11', endDate: '2021-05-11', duration: 12 }],
      recipientOrganization: [{ id: '120027016', name: 'Direction interministérielle du numérique' }],
      fundingOrganization: [{ id: '130026032', name: 'Agence nationale de la cohésion des territoires' }],
      status: 'active',
    });
    expect(res.body.grants.find((g: { id: string }) => g.id === ids[2])).toMatchObject({ status: 'draft', awardDate: null, amountDisbursed: '0.00' });
    for (const secret of ['FR76', '00000092441', '00001020148', 'iban', 'bankAccount', 'Nadi Bou Hanna', 'Yves Le Breton', 'SCBCM SERVICES']) {
      expect(res.text).not.toContain(secret);
    }
  });

  it('/open-data/conventions in pages: ?limit= and the `next` path walk every convention once', async () => {
    const seen: string[] = [];
    let next: string | null = '/open-data/conventions?limit=2';
    while (next) {
      const page: { grants: { id: string }[]; next: string | null } = (await t.http.get(next).expect(200)).body;
      expect(page.grants.length).toBeLessThanOrEqual(2);
      seen.push(...page.grants.map((g) => g.id));
      next = page.next;
    }
    expect(seen).toEqual([...ids].sort());
    expect((await t.http.get('/open-data/conventions?limit=0').expect(400)).body.code).toBe('VALIDATION_FAILED');
    expect((await t.http.get('/open-data/conventions?dialect=excel').expect(400)).body.code).toBe('VALIDATION_FAILED');
  });

  it('/open-data/conventions as CSV (Accept, ?format=csv, .csv, ?dialect=fr): the JSON\'s facts, parsed back', async () => {
    const { grants } = (await t.http.get('/open-data/conventions').expect(200)).body;
    const expected = grants.map((g: Record<string, never>) => [g.id, g.reference, g.amountAwarded, g.amountDisbursed, g.amountConsumed, g.status]);
    const columns = ['Identifier', 'Reference', 'Amount Awarded', 'Amount Disbursed', 'Amount Consumed', 'Status'];
    const project = (rows: string[][]) => rows.slice(1).map((row) => columns.map((c) => row[rows[0].indexOf(c)]));
    const byAccept = await t.http.get('/open-data/conventions').set('Accept', 'text/csv').expect(200);
    expect(byAccept.headers['content-type']).toBe('text/csv; charset=utf-8; header=present');
    for (const csv of [byAccept.text, (await t.http.get('/open-data/conventions?format=csv').expect(200)).text, (await t.http.get('/open-data/conventions.csv').expect(200)).text]) {
      expect(project(parseCsv(csv, ','))).toEqual(expected);
    }
    const fr = (await t.http.get('/open-data/conventions.csv?dialect=fr').expect(200)).text;
    expect(fr.charCodeAt(0)).toBe(0xfeff);
    expect(project(parseCsv(fr, ';'))).toEqual(expected.map((row: string[]) => row.map((cell, i) => (i >= 2 && i <= 4 ? cell.replace('.', ',') : cell))));
  });

  it('the OpenAPI document declares the public routes and their content types, and the statement\'s PDF and CSV', async () => {
    const { paths } = (await t.http.get('/docs-json').expect(200)).body;
    const types = (route: string) => Object.keys(paths[route].get.responses['200'].content);
    expect(types('/stats')).toEqual(['application/json', 'text/html']);
    expect(types('/stats.json')).toEqual(['application/json']);
    expect(types('/open-data/conventions')).toEqual(['application/json', 'text/csv']);
    expect(types('/open-data/conventions.csv')).toEqual(['text/csv']);
    expect(types('/conventions/{id}/statements/{number}')).toEqual(['application/json', 'text/csv', 'application/pdf']);
  });
});

describe('the public routes are rate limited like any anonymous call', () => {
  let t: TestApp;
  beforeAll(async () => { t = await startTestApp({ RATE_LIMIT_PER_MINUTE: '3' }); });
  afterAll(async () => t.close());

  it('per IP: the fourth call in a minute is 429 RATE_LIMITED, whichever public route', async () => {
    for (const path of ['/stats', '/stats.json', '/open-data/conventions']) await t.http.get(path).expect(200);
    const refused = await t.http.get('/open-data/conventions.csv').expect(429);
    expect(refused.body.code).toBe('RATE_LIMITED');
    expect(refused.headers['retry-after']).toEqual(expect.any(String));
  });
});
