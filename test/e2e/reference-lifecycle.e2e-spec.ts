import { openPostgresReadModels } from '../read-models/support/read-model-dialects';
import { EsdbTestServer } from '../support/esdb-server';
import { SEED_CONVENTION_BODY } from '../support/seed-http';
import { bearer, startTestApp, TEST_TOKENS, type TestApp } from '../support/test-app';

/** The same lifecycle on each event-store adapter: the embedded default and EventStoreDB. */
const STORES: Array<[string, () => Promise<{ env: Record<string, string>; stop(): Promise<void> }>]> = [
  ['embedded store', async () => ({ env: {}, stop: async () => undefined })],
  ['EventStoreDB adapter (protocol test server)', async () => {
    const server = await EsdbTestServer.start();
    return { env: { EVENT_STORE: 'eventstoredb', EVENTSTORE_CONNECTION_STRING: server.connectionString }, stop: () => server.close() };
  }],
  // The production combination; without a PostgreSQL server this variant fails, it is never left out.
  ['EventStoreDB adapter with PostgreSQL read models', async () => {
    const readModels = await openPostgresReadModels();
    const server = await EsdbTestServer.start();
    return {
      env: { EVENT_STORE: 'eventstoredb', EVENTSTORE_CONNECTION_STRING: server.connectionString, READ_MODELS_URL: readModels.url },
      stop: async () => {
        await readModels.close();
        await server.close();
      },
    };
  }],
];

type StartStore = (typeof STORES)[number][1];

/**
 * DOMAIN.md "The reference case in numbers" as steps through the real HTTP stack: registration,
 * signatures, tranche 1, expenses, statement 1 and its two signatures, the call of tranche 2 (and
 * the refused call of tranche 3), the final statement, closure and restitution. Each step checks
 * what it does. The real app runs on a fresh store of the given kind, started and stopped by
 * hooks registered in the calling describe block.
 */
function referenceLifecycle(startStore: StartStore) {
  let t: TestApp;
  let stopStore: () => Promise<void>;
  let id: string;
  let lastPosition: number;
  const funder = bearer(TEST_TOKENS.funder);
  const beneficiary = bearer(TEST_TOKENS.beneficiary);
  const accountant = bearer(TEST_TOKENS.publicAccountant);
  const officer = bearer(TEST_TOKENS.authorizingOfficer);

  beforeAll(async () => {
    const store = await startStore();
    stopStore = store.stop;
    t = await startTestApp(store.env);
  });
  afterAll(async () => {
    // Guarded: when the set-up itself failed there is less to close, and nothing may keep Jest alive.
    await t?.close();
    await stopStore?.();
  });

  /** E1/E2 (v2): the details (payee, commitment, invoice, payment order) are optional on each step. */
  interface Details { payee?: { name: string; siret?: string }; commitmentNumber?: string; invoice?: { number: string; issuedOn: string }; paymentOrder?: string }
  async function acceptedExpense(category: string, amount: string, dates: { committed: string; done: string; paid: string; accepted: string }, details: Details = {}) {
    const { payee, commitmentNumber, invoice, paymentOrder } = details;
    const created = await t.http.post(`/conventions/${id}/expenses`).set(beneficiary)
      .send({ category, description: `${category} work`, amount, committedOn: dates.committed, ...(payee ? { payee } : {}), ...(commitmentNumber ? { commitmentNumber } : {}) }).expect(201);
    const expenseId = created.body.expenseId as string;
    await t.http.post(`/conventions/${id}/expenses/${expenseId}/service-done`).set(beneficiary).send({ on: dates.done, ...(invoice ? { invoice } : {}) }).expect(200);
    await t.http.post(`/conventions/${id}/expenses/${expenseId}/payment`).set(beneficiary).send({ paidOn: dates.paid, ...(paymentOrder ? { paymentOrder } : {}) }).expect(200);
    await t.http.post(`/conventions/${id}/expenses/${expenseId}/acceptance`).set(accountant).send({ on: dates.accepted }).expect(200);
    return expenseId;
  }

  // T6: a funder organisation registers a reference once, so each replay of the steps registers
  // the seed under a reference of its own: the seed's, then "-2", "-3"...
  let registrations = 0;
  const nextReference = () => (++registrations === 1 ? SEED_CONVENTION_BODY.reference : `${SEED_CONVENTION_BODY.reference}-${registrations}`);

  const steps: Array<[title: string, run: () => Promise<void>]> = [
    ['registers the seed convention (T1-T4)', async () => {
      const res = await t.http.post('/conventions').set(funder).send({ ...SEED_CONVENTION_BODY, reference: nextReference() }).expect(201);
      expect(res.body.id).toMatch(/^[0-9a-f-]{36}$/);
      expect(res.body.position).toBeGreaterThan(0);
      id = res.body.id;
    }],
    ['S1/S2: both signatures on 2020-05-11 make it effective and tranche 1 due', async () => {
      const first = await t.http.post(`/conventions/${id}/signatures`).set(funder)
        .send({ party: 'funder', signatory: 'Yves Le Breton', signedOn: '2020-05-11' }).expect(201);
      const second = await t.http.post(`/conventions/${id}/signatures`).set(beneficiary)
        .send({ party: 'beneficiary', signatory: 'Nadi Bou Hanna', signedOn: '2020-05-11' }).expect(201);
      expect(second.body.position).toBeGreaterThan(first.body.position);
    }],
    ['P1: the funder pays tranche 1, and cannot pay tranche 2 before it is due', async () => {
      await t.http.post(`/conventions/${id}/payments`).set(funder).send({ tranche: 1, amount: '800000.00', paidOn: '2020-05-20' }).expect(201);
      const refused = await t.http.post(`/conventions/${id}/payments`).set(funder).send({ tranche: 2, amount: '1.00', paidOn: '2020-05-20' }).expect(422);
      expect(refused.body.code).toBe('TRANCHE_NOT_DUE');
    }],
    ['D1/D2: statement 1 lists 610,000.75 of accepted expenses and is signed by both officers', async () => {
      const devops = await acceptedExpense('devops', '300000.00', { committed: '2020-06-01', done: '2020-09-30', paid: '2020-10-15', accepted: '2020-10-20' }, {
        payee: { name: 'Atelier numérique SAS', siret: '73282932000074' }, commitmentNumber: 'EJ-2100457812',
        invoice: { number: 'F-2020-0917', issuedOn: '2020-09-30' }, paymentOrder: 'MP-2020-004512',
      });
      await acceptedExpense('design', '160000.25', { committed: '2020-06-02', done: '2020-10-30', paid: '2020-11-15', accepted: '2020-11-20' });
      await acceptedExpense('coaching', '150000.50', { committed: '2020-06-03', done: '2020-11-30', paid: '2020-12-15', accepted: '2020-12-20' });

      const statement = await t.http.post(`/conventions/${id}/statements`).set(beneficiary).send({ cutoff: '2020-12-31', final: false }).expect(201);
      // D1 (v2): drawn up on the cutoff by default; nothing before it, no correction.
      expect(statement.body).toMatchObject({
        number: 1, cutoff: '2020-12-31', drawnUpOn: '2020-12-31', total: '610000.75', previousCumulativeTotal: '0.00', cumulativeTotal: '610000.75', corrections: [],
      });
      expect(statement.body.lines.map((l: { amount: string }) => l.amount)).toEqual(['300000.00', '160000.25', '150000.50']);
      // Each line carries the expense's details when known (E1, E2).
      expect(statement.body.lines[0]).toEqual({
        expenseId: devops, category: 'devops', description: 'devops work', amount: '300000.00',
        committedOn: '2020-06-01', serviceDoneOn: '2020-09-30', paidOn: '2020-10-15',
        payee: { name: 'Atelier numérique SAS', siret: '73282932000074' }, commitmentNumber: 'EJ-2100457812',
        invoice: { number: 'F-2020-0917', issuedOn: '2020-09-30' }, paymentOrder: 'MP-2020-004512',
      });

      await t.http.post(`/conventions/${id}/statements/1/signatures`).set(officer)
        .send({ as: 'authorizing-officer', signatory: 'Ordonnateur DINUM', signedOn: '2021-01-05' }).expect(201);
      await t.http.post(`/conventions/${id}/statements/1/signatures`).set(accountant)
        .send({ as: 'public-accountant', signatory: 'Comptable CBCM', signedOn: '2021-01-06' }).expect(201);
    }],
    ['F1: tranche 2 can be called on statement 1; tranche 3 cannot (THRESHOLD_NOT_REACHED)', async () => {
      await t.http.post(`/conventions/${id}/fund-calls`).set(beneficiary).send({ tranche: 2, statement: 1, issuedOn: '2021-01-10' }).expect(201);
      const refused = await t.http.post(`/conventions/${id}/fund-calls`).set(beneficiary).send({ tranche: 3, statement: 1, issuedOn: '2021-01-10' }).expect(422);
      expect(refused.body).toMatchObject({ statusCode: 422, code: 'THRESHOLD_NOT_REACHED', rule: 'F1' });
      expect(refused.body.message).toMatch(/1000000\.00|1,000,000/);
      await t.http.post(`/conventions/${id}/payments`).set(funder).send({ tranche: 2, amount: '400000.00', paidOn: '2021-01-20' }).expect(201);
    }],
    ['C1: closure on a final statement of 660,000.75 with 1,200,000.00 received puts 539,999.25 to restitute', async () => {
      await acceptedExpense('deployment', '50000.00', { committed: '2021-02-01', done: '2021-03-01', paid: '2021-04-01', accepted: '2021-04-15' });
      const final = await t.http.post(`/conventions/${id}/statements`).set(beneficiary).send({ cutoff: '2021-05-11', final: true, drawnUpOn: '2021-05-14' }).expect(201);
      expect(final.body).toMatchObject({
        number: 2, final: true, cutoff: '2021-05-11', drawnUpOn: '2021-05-14', total: '50000.00', previousCumulativeTotal: '610000.75', cumulativeTotal: '660000.75', corrections: [],
      });
      await t.http.post(`/conventions/${id}/statements/2/signatures`).set(officer)
        .send({ as: 'authorizing-officer', signatory: 'Ordonnateur DINUM', signedOn: '2021-05-20' }).expect(201);
      await t.http.post(`/conventions/${id}/statements/2/signatures`).set(accountant)
        .send({ as: 'public-accountant', signatory: 'Comptable CBCM', signedOn: '2021-05-21' }).expect(201);

      const closure = await t.http.post(`/conventions/${id}/closure`).set(funder).send({ on: '2021-06-30', statement: 2 }).expect(201);
      // C1 (v2): participation = min(consumed, ceiling); tranche 3 (threshold 1,000,000.00 never reached) lapses.
      expect(closure.body).toEqual({
        position: expect.any(Number), closedOn: '2021-06-30', statement: 2,
        consumed: '660000.75', participation: '660000.75', received: '1200000.00', restitutionDue: '539999.25', owedToBeneficiary: '0.00',
        lapsedTranches: [3], provisional: false, settled: false,
      });

      const afterClosure = await t.http.post(`/conventions/${id}/expenses`).set(beneficiary)
        .send({ category: 'devops', description: 'too late', amount: '1.00', committedOn: '2021-05-01' }).expect(422);
      expect(afterClosure.body.code).toBe('CONVENTION_NOT_ACTIVE');
    }],
    ['R1: restitution is never beyond what is due, and paying it all settles the convention', async () => {
      const over = await t.http.post(`/conventions/${id}/restitutions`).set(beneficiary).send({ amount: '539999.26', paidOn: '2021-07-15' }).expect(422);
      expect(over.body.code).toBe('RESTITUTION_EXCEEDS_DUE');
      const part = await t.http.post(`/conventions/${id}/restitutions`).set(beneficiary).send({ amount: '39999.25', paidOn: '2021-07-15' }).expect(201);
      expect(part.body.settled).toBe(false);
      const rest = await t.http.post(`/conventions/${id}/restitutions`).set(beneficiary).send({ amount: '500000.00', paidOn: '2021-07-30' }).expect(201);
      expect(rest.body.settled).toBe(true);
      lastPosition = rest.body.position;
    }],
  ];

  return {
    steps,
    /** Runs the first `count` steps, from the registration of a new convention. */
    async runSteps(count: number): Promise<void> {
      for (const [, run] of steps.slice(0, count)) await run();
    },
    get current() {
      return { t, id, lastPosition };
    },
  };
}

describe.each(STORES)('reference lifecycle over HTTP on the %s', (_name, startStore) => {
  const lifecycle = referenceLifecycle(startStore);

  // Each step replays the steps before it on a convention of its own: it runs alone and in any order.
  lifecycle.steps.forEach(([title, run], index) => {
    it(title, async () => {
      await lifecycle.runSteps(index);
      await run();
    });
  });

  describe('read side (projections)', () => {
    // The whole lifecycle once, on an app and a store of this block's own: the lists and the stats
    // below see this one convention only.
    const settled = referenceLifecycle(startStore);
    let t: TestApp;
    let id: string;
    let lastPosition: number;
    beforeAll(async () => {
      await settled.runSteps(settled.steps.length);
      ({ t, id, lastPosition } = settled.current);
    });
    const auditor = bearer(TEST_TOKENS.auditor);
    const read = (path: string) => t.http.get(`${path}${path.includes('?') ? '&' : '?'}minPosition=${lastPosition}`).set(auditor);

    it('the balance carries every figure of the reference case, exact to the cent', async () => {
      const balance = (await read(`/conventions/${id}/balance`).expect(200)).body;
      // v1.1: participation, provisional, owedToBeneficiary; after the end remainingCeiling is what the
      // funder may still pay (owedToBeneficiary.outstanding, libs/domain/src/figures.ts).
      expect(balance).toMatchObject({
        status: 'settled', ceiling: '1600000.00', committed: '660000.75', serviceDone: '660000.75', paid: '660000.75',
        consumed: '660000.75', rejected: '0.00', called: '400000.00', due: '1200000.00', received: '1200000.00',
        outstanding: '0.00', remainingCeiling: '0.00', participation: '660000.75', provisional: false,
        restitution: { due: '539999.25', paid: '539999.25', outstanding: '0.00' },
        owedToBeneficiary: { due: '0.00', paid: '0.00', outstanding: '0.00' },
      });
      expect(balance.tranches).toEqual([
        { number: 1, amount: '800000.00', status: 'paid', paid: '800000.00' },
        { number: 2, amount: '400000.00', status: 'paid', paid: '400000.00' },
        { number: 3, amount: '400000.00', status: 'lapsed', paid: '0.00' },
      ].map((tranche) => expect.objectContaining(tranche)));
    });

    it('?asOf=2020-12-31 counts only facts dated on or before it: received 800,000.00, consumed 610,000.75', async () => {
      const balance = (await read(`/conventions/${id}/balance?asOf=2020-12-31`).expect(200)).body;
      expect(balance).toMatchObject({
        status: 'active', received: '800000.00', consumed: '610000.75', due: '800000.00', called: '0.00', outstanding: '0.00', remainingCeiling: '800000.00', provisional: false,
      });
      expect(balance.participation ?? null).toBeNull();
      expect(balance.restitution).toMatchObject({ due: '0.00', paid: '0.00', outstanding: '0.00' });
      expect(balance.owedToBeneficiary).toMatchObject({ due: '0.00', paid: '0.00', outstanding: '0.00' });
      await t.http.get(`/conventions/${id}/balance?asOf=2021-02-30`).set(auditor).expect(400);
    });

    it('?asOf=2020-12-31 on the convention, its expenses and statements: the state auditors saw that day', async () => {
      const expenses = (await read(`/conventions/${id}/expenses?asOf=2020-12-31`).expect(200)).body.expenses;
      // The 4th expense, committed on 2021-02-01, did not exist yet.
      expect(expenses.map((e: { category: string; state: string }) => [e.category, e.state])).toEqual([
        ['devops', 'accepted'], ['design', 'accepted'], ['coaching', 'accepted'],
      ]);
      // Statement 1 (cutoff 2020-12-31) was drawn up but signed only on 2021-01-05 and 06; statement 2 did not exist.
      const statements = (await read(`/conventions/${id}/statements?asOf=2020-12-31`).expect(200)).body.statements;
      expect(statements.map((s: { number: number; signatures: unknown[]; valid: boolean }) => [s.number, s.signatures, s.valid])).toEqual([[1, [], false]]);
      expect((await read(`/conventions/${id}/statements/2?asOf=2020-12-31`).expect(404)).body.code).toBe('STATEMENT_NOT_FOUND');
      const csv = await read(`/conventions/${id}/statements/1?asOf=2020-12-31`).set('Accept', 'text/csv').expect(200);
      expect(csv.text.split('\r\n').filter(Boolean)).toHaveLength(4);
      const convention = (await read(`/conventions/${id}?asOf=2020-12-31`).expect(200)).body;
      expect(convention).toMatchObject({ status: 'active', closedOn: null, settledOn: null, ceiling: '1600000.00', endsOn: '2021-05-11' });
      expect(convention.signatures).toHaveLength(2);
      for (const path of ['', '/expenses', '/statements', '/statements/1']) {
        expect((await t.http.get(`/conventions/${id}${path}?asOf=2021-02-30`).set(auditor).expect(400)).body.code).toBe('VALIDATION_FAILED');
      }
    });

    it('the convention shows its parties with derived IBANs, signatures and period', async () => {
      const convention = (await read(`/conventions/${id}`).expect(200)).body;
      expect(convention).toMatchObject({ status: 'settled', effectiveOn: '2020-05-11', endsOn: '2021-05-11' });
      expect(convention.beneficiary.iban).toBe('FR7630001000640000009244140');
      expect(convention.funder.iban).toBe('FR7610071590000000102014889');
    });

    it('statement 1 as JSON and as CSV (RFC 4180), parsed back', async () => {
      const json = (await read(`/conventions/${id}/statements/1`).expect(200)).body;
      expect(json).toMatchObject({
        number: 1, cutoff: '2020-12-31', drawnUpOn: '2020-12-31', final: false, total: '610000.75', previousCumulativeTotal: '0.00', cumulativeTotal: '610000.75', corrections: [],
      });
      expect(json.signatures.map((s: { as: string; subject: string }) => [s.as, s.subject])).toEqual([
        ['authorizing-officer', 'ordonnateur-dinum'], ['public-accountant', 'comptable-cbcm'],
      ]);
      const csv = await read(`/conventions/${id}/statements/1`).set('Accept', 'text/csv').expect(200);
      expect(csv.headers['content-type']).toMatch(/^text\/csv/);
      const rows = csv.text.split('\r\n').filter(Boolean).map((row) => row.split(','));
      expect(rows[0].slice(0, 7)).toEqual(['expenseId', 'category', 'description', 'amount', 'committedOn', 'serviceDoneOn', 'paidOn']);
      expect(rows[0]).toContain('type');
      expect(rows.slice(1).map((r) => r[3])).toEqual(json.lines.map((l: { amount: string }) => l.amount));
      expect(rows[1].slice(4, 7)).toEqual(['2020-06-01', '2020-09-30', '2020-10-15']);
    });

    it('the history lists every fact in order with who recorded it and when', async () => {
      const { events } = (await read(`/conventions/${id}/events`).expect(200)).body;
      expect(events[0]).toMatchObject({ type: 'ConventionRegistered', revision: 0, actor: { subject: 'anct-finance', roles: ['funder'], organisation: '130026032' } });
      // T1 (v2): the organisations, the accounting organisation and the account holders are recorded as sent.
      expect(events[0].data.funder).toMatchObject({ organisation: '130026032', bankAccount: { holder: 'Agence nationale de la cohésion des territoires' } });
      expect(events[0].data.funder.accountingOrganisation).toBeUndefined();
      expect(events[0].data.beneficiary).toMatchObject({
        organisation: '120027016', accountingOrganisation: 'SCBCM-SPM', bankAccount: { holder: 'SCBCM SERVICES PREMIER MINISTRE' },
      });
      expect(events.map((e: { revision: number }) => e.revision)).toEqual(events.map((_: unknown, i: number) => i));
      expect(events.at(-1)).toMatchObject({ type: 'ConventionSettled', position: lastPosition });
      expect(Date.parse(events[0].recordedAt)).not.toBeNaN();
      expect(events[0].request.requestId).toEqual(expect.any(String));

      const page = (await read(`/conventions/${id}/events?limit=5`).expect(200)).body;
      expect(page.events).toEqual(events.slice(0, 5));
      expect(page.nextRevision).toBe(5);
      const next = (await read(`/conventions/${id}/events?fromRevision=5&limit=10000`).expect(200)).body;
      expect([...page.events, ...next.events]).toEqual(events);
      expect(next.nextRevision).toBeNull();
      await t.http.get(`/conventions/${id}/events?limit=0`).set(auditor).expect(400);
    });

    it('lists conventions filtered by status and reference, and /stats answers without a token', async () => {
      const settled = (await read('/conventions?status=settled').expect(200)).body.conventions;
      expect(settled.map((c: { id: string }) => c.id)).toContain(id);
      expect((await read('/conventions?status=active').expect(200)).body.conventions).toEqual([]);
      expect((await read('/conventions?reference=ANCT-DINUM-2020').expect(200)).body.conventions).toHaveLength(1);
      await t.http.get('/conventions?status=bogus').set(auditor).expect(400);
      const stats = (await t.http.get(`/stats?minPosition=${lastPosition}`).expect(200)).body;
      expect(stats.received).toBe('1200000.00');
      expect(stats.conventions.byStatus.settled).toBe(1);
    });

    it('404 for an unknown convention or statement; 503 with Retry-After when minPosition is not reached', async () => {
      expect((await t.http.get('/conventions/unknown-id').set(auditor).expect(404)).body.code).toBe('CONVENTION_NOT_FOUND');
      expect((await t.http.get(`/conventions/${id}/statements/9`).set(auditor).expect(404)).body.code).toBe('STATEMENT_NOT_FOUND');
      const behind = await t.http.get(`/conventions/${id}?minPosition=${lastPosition + 1_000_000}`).set(auditor).expect(503);
      expect(behind.headers['retry-after']).toBe('1');
      expect(behind.body.code).toBe('READ_MODELS_BEHIND');
    });
  });
});
