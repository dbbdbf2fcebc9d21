import { AS, ledgerOver } from '../support/ledger-http';
import { bearer, startTestApp, TEST_TOKENS, type TestApp } from '../support/test-app';

const { auditor } = AS;
const NDJSON = { Accept: 'application/x-ndjson' };
const CSV = { Accept: 'text/csv' };

/** What the API answered at one moment: every read route, status and body byte for byte. */
interface Moment {
  position: number;
  recordedAt: string;
  answers: Record<string, string>;
}

/** Every read route of docs/api.md, with `?asOf` where it applies (a business date in the middle of the story). */
const readRoutes = (id: string): Array<[string, Record<string, string>]> => [
  ['/conventions', {}],
  ['/conventions?status=active', {}],
  [`/conventions/${id}`, {}],
  [`/conventions/${id}?asOf=2020-06-30`, {}],
  [`/conventions/${id}/balance`, {}],
  [`/conventions/${id}/balance?asOf=2020-06-30`, {}],
  [`/conventions/${id}/expenses`, {}],
  [`/conventions/${id}/expenses?asOf=2020-06-30`, {}],
  [`/conventions/${id}/statements`, {}],
  [`/conventions/${id}/statements/1`, {}],
  [`/conventions/${id}/statements/1`, CSV],
  [`/conventions/${id}/events`, {}],
  [`/conventions/${id}/events`, NDJSON],
];

const withQuery = (route: string, name: string, value: string) => `${route}${route.includes('?') ? '&' : '?'}${name}=${encodeURIComponent(value)}`;
const withKnownAt = (route: string, knownAt: string) => withQuery(route, 'knownAt', knownAt);

/**
 * What was known when (docs/audit.md): the answers the API gave at each moment of a story are
 * captured then; afterwards, with ?knownAt= that moment's position or recording instant, every
 * read route answers the same bytes, ?asOf included (what was known at T about date D).
 */
describe('?knownAt: every read answers as the system knew it then', () => {
  let t: TestApp;
  let ledger: ReturnType<typeof ledgerOver>;
  let id: string;
  const moments: Moment[] = [];

  async function capture(): Promise<void> {
    const position = await ledger.headPosition();
    const answers: Record<string, string> = {};
    for (const [route, headers] of readRoutes(id)) {
      const response = await t.http.get(withQuery(route, 'minPosition', String(position))).set(auditor).set(headers);
      answers[`${route} ${JSON.stringify(headers)}`] = `${response.status} ${response.text}`;
    }
    const events = (await t.http.get(`/conventions/${id}/events`).set(auditor).expect(200)).body.events;
    moments.push({ position, recordedAt: events.at(-1).recordedAt, answers });
    // The next fact is recorded at a later millisecond than this moment's instant.
    await new Promise((resolve) => setTimeout(resolve, 5));
  }

  beforeAll(async () => {
    t = await startTestApp();
    ledger = ledgerOver(t);
    id = await ledger.register('KNOWN-AT-2020');
    await capture();
    await t.http.post(`/conventions/${id}/signatures`).set(AS.funder).send({ party: 'funder', signatory: 'Yves Le Breton', signedOn: '2020-05-11' }).expect(201);
    await t.http.post(`/conventions/${id}/signatures`).set(AS.beneficiary).send({ party: 'beneficiary', signatory: 'Nadi Bou Hanna', signedOn: '2020-05-11' }).expect(201);
    await capture();
    await ledger.payTranche(id, 1, '800000.00', '2020-06-15');
    await capture();
    await ledger.expense(id, '400000.00', { committed: '2020-07-01', done: '2020-09-30', paid: '2020-10-15', accepted: '2020-11-15' });
    await ledger.signedStatement(id, { cutoff: '2020-12-31', final: false, drawnUpOn: '2021-01-04' }, ['2021-01-05', '2021-01-06']);
    await capture();
    // Recorded last, dated first: an expense committed on 2020-06-01 changes what is known about 2020-06-30.
    await ledger.expense(id, '30000.00', { committed: '2020-06-01', done: '2020-06-20', category: 'design' });
    await capture();
  });
  afterAll(async () => t.close());

  it('the story changed the answers at each moment, the ones about 2020-06-30 included', () => {
    const balanceAsOf = `/conventions/${id}/balance?asOf=2020-06-30 {}`;
    expect(new Set(moments.map((moment) => moment.answers[balanceAsOf])).size).toBe(4);
    expect(new Set(moments.map((moment) => JSON.stringify(moment.answers))).size).toBe(moments.length);
  });

  it('?knownAt=<position> answers, on every route, the bytes the API answered at that moment', async () => {
    for (const moment of moments) {
      for (const [route, headers] of readRoutes(id)) {
        const response = await t.http.get(withKnownAt(route, String(moment.position))).set(auditor).set(headers);
        expect(`${response.status} ${response.text}`).toBe(moment.answers[`${route} ${JSON.stringify(headers)}`]);
      }
    }
  });

  it('?knownAt=<instant> (with its offset) answers the same as the position recorded then', async () => {
    for (const moment of moments) {
      const inParis = new Date(Date.parse(moment.recordedAt) + 3_600_000).toISOString().replace('Z', '+01:00');
      for (const [route, headers] of readRoutes(id)) {
        const response = await t.http.get(withKnownAt(route, inParis)).set(auditor).set(headers);
        expect(`${response.status} ${response.text}`).toBe(moment.answers[`${route} ${JSON.stringify(headers)}`]);
      }
    }
  });

  it('beyond the head, the current view', async () => {
    const current = moments.at(-1)!;
    for (const [route, headers] of readRoutes(id)) {
      const response = await t.http.get(withKnownAt(route, '123456789')).set(auditor).set(headers);
      expect(`${response.status} ${response.text}`).toBe(current.answers[`${route} ${JSON.stringify(headers)}`]);
    }
  });

  it('before its registration the convention is unknown (404), and out of reach it stays unknown at any knownAt', async () => {
    const before = await t.http.get(`/conventions/${id}/balance?knownAt=0`).set(auditor).expect(404);
    expect(before.body.code).toBe('CONVENTION_NOT_FOUND');
    expect((await t.http.get('/conventions?knownAt=0').set(auditor).expect(200)).body).toEqual({ conventions: [] });
    const outOfReach = await t.http.get(`/conventions/${id}/balance?knownAt=${moments.at(-1)!.position}`).set(bearer(TEST_TOKENS.otherFunder)).expect(404);
    expect(outOfReach.body.code).toBe('CONVENTION_NOT_FOUND');
    expect((await t.http.get(`/conventions?knownAt=${moments.at(-1)!.position}`).set(bearer(TEST_TOKENS.otherFunder)).expect(200)).body).toEqual({ conventions: [] });
  });

  it.each(['-1', '01', '1e3', '0x10', '1.5', 'now', '2021-01-15', '2021-01-15T09:30:00', '2021-02-30T00:00:00Z', '2021-01-15T09:30:00+25:00'])(
    '?knownAt=%s is 400 VALIDATION_FAILED naming knownAt',
    async (knownAt) => {
      const response = await t.http.get(`/conventions/${id}/balance?knownAt=${encodeURIComponent(knownAt)}`).set(auditor).expect(400);
      expect(response.body).toMatchObject({ code: 'VALIDATION_FAILED', errors: [{ field: 'knownAt' }] });
    },
  );

  it('the OpenAPI document names knownAt on every read route, and GET /events with fromPosition, both streaming NDJSON', async () => {
    const { paths } = (await t.http.get('/docs-json').expect(200)).body;
    const readPaths = ['/conventions', '/conventions/{id}', '/conventions/{id}/balance', '/conventions/{id}/expenses', '/conventions/{id}/statements', '/conventions/{id}/statements/{number}', '/conventions/{id}/events'];
    for (const route of readPaths) {
      expect([route, paths[route].get.parameters.map((parameter: { name: string }) => parameter.name)]).toEqual([route, expect.arrayContaining(['knownAt'])]);
    }
    expect(paths['/events'].get.parameters.map((parameter: { name: string }) => parameter.name)).toContain('fromPosition');
    expect(Object.keys(paths['/events'].get.responses['200'].content)).toEqual(['application/x-ndjson', 'text/event-stream']);
    expect(Object.keys(paths['/conventions/{id}/events'].get.responses['200'].content)).toEqual(['application/json', 'application/x-ndjson', 'text/event-stream']);
  });
});
