import { Logger } from '@nestjs/common';
import { AS, ledgerOver } from '../support/ledger-http';
import { SEED_CONVENTION_BODY } from '../support/seed-http';
import { bearer, ORGANISATIONS, startTestApp, TEST_TOKENS, type TestApp } from '../support/test-app';

/**
 * docs/security.md, proved over HTTP on the real app: a principal acts only where its
 * organisation is the party its role acts for. A convention out of its reach does not exist for
 * it (404, exactly the answer of an unknown id, on every read and every command, and nothing is
 * recorded); one in reach but not for this role is a 403; auditors read within their scope and
 * write nothing.
 */

const WHO = {
  funder: AS.funder,
  beneficiary: AS.beneficiary,
  officer: AS.officer,
  accountant: AS.accountant,
  auditor: AS.auditor,
  bothParties: bearer(TEST_TOKENS.bothParties),
  bothSigningRoles: bearer(TEST_TOKENS.bothSigningRoles),
  otherFunder: bearer(TEST_TOKENS.otherFunder),
  otherBeneficiary: bearer(TEST_TOKENS.otherBeneficiary),
  otherOfficer: bearer(TEST_TOKENS.otherAuthorizingOfficer),
  otherAccountingOffice: bearer(TEST_TOKENS.otherAccountingOffice),
  scopedAuditor: bearer(TEST_TOKENS.scopedAuditor),
  otherScopedAuditor: bearer(TEST_TOKENS.otherScopedAuditor),
  sameSubjectElsewhere: bearer(TEST_TOKENS.sameSubjectOtherOrganisation),
};
type Who = keyof typeof WHO;

/** Principals that reach no convention of the seed's organisations (ANCT → DINUM, accounting SCBCM-SPM). */
const STRANGERS_TO_THE_SEED: Who[] = ['otherFunder', 'otherBeneficiary', 'otherOfficer', 'otherAccountingOffice', 'otherScopedAuditor', 'sameSubjectElsewhere'];
/** Principals that read the seed's conventions. */
const READERS_OF_THE_SEED: Who[] = ['funder', 'beneficiary', 'officer', 'accountant', 'auditor', 'scopedAuditor', 'bothParties', 'bothSigningRoles'];
/** Auditors: whatever they see, their role writes nothing. */
const AUDITORS: Who[] = ['auditor', 'scopedAuditor', 'otherScopedAuditor'];

const UNKNOWN = '00000000-0000-4000-8000-000000000000';
const SIGNATORIES = { funder: 'Yves Le Breton', beneficiary: 'Nadi Bou Hanna' };

/** The seed's body with other parties: funded by another organisation, to another beneficiary, accounted by another office. */
const otherPartiesBody = (reference: string) => ({
  ...SEED_CONVENTION_BODY, reference,
  funder: { ...SEED_CONVENTION_BODY.funder, organisation: ORGANISATIONS.otherFunder },
  beneficiary: { ...SEED_CONVENTION_BODY.beneficiary, organisation: ORGANISATIONS.otherBeneficiary, accountingOrganisation: ORGANISATIONS.otherAccountingOffice },
});

describe('access per organisation (docs/security.md)', () => {
  let t: TestApp;
  let ledger: ReturnType<typeof ledgerOver>;
  let references = 0;
  const reference = (prefix = 'ACCESS') => `${prefix}-${++references}`;

  /** The seed's parties: active, an expense accepted, statement 1 drawn up and signed (every read route has something to show). */
  let seed: string;
  /** Other parties altogether (another funder, beneficiary and accounting office); active, statement 1 drawn up. */
  let elsewhere: string;
  /** ANCT funds the other beneficiary, which is its own accounting organisation. */
  let mixed: string;

  beforeAll(async () => {
    t = await startTestApp();
    ledger = ledgerOver(t);
    seed = await ledger.active(reference('SEED'));
    await ledger.expense(seed, '100.00', { committed: '2020-06-01', done: '2020-07-01', paid: '2020-08-01', accepted: '2020-09-01' });
    await ledger.signedStatement(seed, { cutoff: '2020-10-31', final: false }, ['2020-11-05', '2020-11-05']);
    elsewhere = (await t.http.post('/conventions').set(WHO.otherFunder).send(otherPartiesBody('ELSEWHERE')).expect(201)).body.id;
    await t.http.post(`/conventions/${elsewhere}/signatures`).set(WHO.otherFunder).send({ party: 'funder', signatory: 'Autre financeur', signedOn: '2020-05-11' }).expect(201);
    await t.http.post(`/conventions/${elsewhere}/signatures`).set(WHO.otherBeneficiary).send({ party: 'beneficiary', signatory: 'Autre bénéficiaire', signedOn: '2020-05-11' }).expect(201);
    await t.http.post(`/conventions/${elsewhere}/statements`).set(WHO.otherBeneficiary).send({ cutoff: '2020-10-31', final: false }).expect(201);
    const { accountingOrganisation: _seeds, ...ownAccountant } = SEED_CONVENTION_BODY.beneficiary;
    mixed = (await t.http.post('/conventions').set(WHO.funder)
      .send({ ...SEED_CONVENTION_BODY, reference: 'MIXED', beneficiary: { ...ownAccountant, organisation: ORGANISATIONS.otherBeneficiary } }).expect(201)).body.id;
    // Every read below waits for the read models to include all of it.
    await t.http.get(`/conventions?minPosition=${await ledger.headPosition()}`).set(WHO.auditor).expect(200);
  });
  afterAll(async () => t?.close());

  const post = (path: string, who: Who, body: object, key?: string) =>
    t.http.post(path).set(WHO[who]).set(key ? { 'Idempotency-Key': key } : {}).send(body);

  describe('every query route', () => {
    /** Each read route: the convention's path and query string, and the Accept header (a row has all three: Jest would take a missing one for `done`). */
    const READS: Array<[route: string, path: string, accept: string | undefined]> = [
      ['GET /conventions/{id}', '', undefined],
      ['GET /conventions/{id}?asOf', '?asOf=2020-12-31', undefined],
      ['GET /conventions/{id}/balance', '/balance', undefined],
      ['GET /conventions/{id}/balance?asOf', '/balance?asOf=2020-12-31', undefined],
      ['GET /conventions/{id}/expenses', '/expenses', undefined],
      ['GET /conventions/{id}/expenses?asOf', '/expenses?asOf=2020-12-31', undefined],
      ['GET /conventions/{id}/statements', '/statements', undefined],
      ['GET /conventions/{id}/statements?asOf', '/statements?asOf=2020-12-31', undefined],
      ['GET /conventions/{id}/statements/{number}', '/statements/1', undefined],
      ['GET /conventions/{id}/statements/{number}?asOf', '/statements/1?asOf=2020-12-31', undefined],
      ['GET /conventions/{id}/statements/{number} as CSV', '/statements/1', 'text/csv'],
      ['GET /conventions/{id}/events', '/events', undefined],
      ['GET /conventions/{id}/events?limit', '/events?fromRevision=1&limit=2', undefined],
    ];
    const get = (id: string, path: string, who: Who, accept?: string) =>
      t.http.get(`/conventions/${id}${path}`).set(WHO[who]).set(accept ? { Accept: accept } : {});

    it.each(READS)('%s: 404 to every principal of another organisation, exactly as for an unknown id', async (_route, path, accept) => {
      for (const who of STRANGERS_TO_THE_SEED) {
        const hidden = await get(seed, path, who, accept);
        const unknown = await get(UNKNOWN, path, who, accept);
        expect([who, hidden.status, hidden.body]).toEqual([who, 404, unknown.body]);
        expect(hidden.body).toMatchObject({ statusCode: 404, code: 'CONVENTION_NOT_FOUND' });
        expect(hidden.headers['content-type']).toMatch(/^application\/json/);
      }
      // The public accountant of another office does not reach a convention where the beneficiary is its own accountant either.
      expect((await get(mixed, path, 'accountant', accept)).status).toBe(404);
    });

    it.each(READS)('%s: 200 to each role of the right organisation, both auditors who see it, and principals holding several roles', async (_route, path, accept) => {
      for (const who of READERS_OF_THE_SEED) {
        const res = await get(seed, path, who, accept);
        expect([who, res.status]).toEqual([who, 200]);
        if (accept) expect(res.headers['content-type']).toMatch(/^text\/csv/);
      }
      // Each organisation reaches its own: the other parties, the other beneficiary's auditor.
      for (const who of ['otherFunder', 'otherBeneficiary', 'otherOfficer', 'otherAccountingOffice', 'otherScopedAuditor', 'auditor'] as Who[]) {
        expect([who, (await get(elsewhere, path, who, accept)).status]).toEqual([who, 200]);
      }
    });

    it('GET /conventions lists, in SQL, only the conventions in reach; status and reference filters keep working within it', async () => {
      const listed = async (who: Who, query = '') => {
        const res = await t.http.get(`/conventions${query}`).set(WHO[who]).expect(200);
        return (res.body.conventions as { id: string }[]).map((c) => c.id).filter((id) => [seed, elsewhere, mixed].includes(id)).sort();
      };
      const expected: Array<[Who, string[]]> = [
        ['auditor', [seed, elsewhere, mixed]],
        ['funder', [seed, mixed]],
        ['bothParties', [seed, mixed]],
        ['beneficiary', [seed]],
        ['officer', [seed]],
        ['accountant', [seed]],
        ['scopedAuditor', [seed]],
        ['bothSigningRoles', [seed]],
        ['otherFunder', [elsewhere]],
        ['sameSubjectElsewhere', [elsewhere]],
        ['otherBeneficiary', [elsewhere, mixed]],
        ['otherOfficer', [elsewhere, mixed]],
        ['otherScopedAuditor', [elsewhere, mixed]],
        ['otherAccountingOffice', [elsewhere]],
      ];
      for (const [who, ids] of expected) expect([who, await listed(who)]).toEqual([who, [...ids].sort()]);
      expect(await listed('otherFunder', '?reference=ELSEWHERE')).toEqual([elsewhere]);
      expect(await listed('funder', '?reference=ELSEWHERE')).toEqual([]);
      expect(await listed('otherBeneficiary', '?status=draft')).toEqual([mixed]);
      expect(await listed('otherBeneficiary', '?status=active')).toEqual([elsewhere]);
      expect(await listed('accountant', '?status=draft')).toEqual([]);
    });

    it('GET /stats stays public (no token), over every convention', async () => {
      const stats = await t.http.get('/stats').expect(200);
      expect(stats.body.conventions.total).toBeGreaterThanOrEqual(3);
    });
  });

  describe('every command route', () => {
    interface Convention { id: string; expenseId?: string }
    const active = async (): Promise<Convention> => ({ id: await ledger.active(reference()) });
    /** Active, with an expense taken as far as the steps given. */
    const withExpense = (steps: Omit<Parameters<typeof ledger.expense>[2], 'committed'>) => async (): Promise<Convention> => {
      const { id } = await active();
      return { id, expenseId: await ledger.expense(id, '100.00', { committed: '2020-06-01', ...steps }) };
    };
    const drawnUp = async (): Promise<Convention> => {
      const { id } = await active();
      await t.http.post(`/conventions/${id}/statements`).set(WHO.beneficiary).send({ cutoff: '2020-10-31', final: false }).expect(201);
      return { id };
    };
    /** Tranche 2's threshold (600,000.00) reached on signed statement 1: tranche 2 may be called. */
    const callable = async (): Promise<Convention> => {
      const { id } = await active();
      await ledger.expense(id, '610000.75', { committed: '2020-06-01', done: '2020-07-01', paid: '2020-08-01', accepted: '2020-09-01' });
      await ledger.signedStatement(id, { cutoff: '2020-10-31', final: false, drawnUpOn: '2020-11-05' }, ['2020-11-05', '2020-11-05']);
      return { id };
    };
    /** A final statement signed: the funder may close. */
    const closable = async (payTrancheOne = false): Promise<Convention> => {
      const { id } = await active();
      if (payTrancheOne) await ledger.payTranche(id, 1, '800000.00', '2020-05-20');
      await ledger.expense(id, '100.00', { committed: '2020-06-01', done: '2020-07-01', paid: '2020-08-01', accepted: '2020-09-01' });
      await ledger.signedStatement(id, { cutoff: '2021-05-11', final: true }, ['2021-05-20', '2021-05-21']);
      return { id };
    };
    const closed = (payTrancheOne: boolean) => async (): Promise<Convention> => {
      const { id } = await closable(payTrancheOne);
      await t.http.post(`/conventions/${id}/closure`).set(WHO.funder).send({ on: '2021-06-30', statement: 1 }).expect(201);
      return { id };
    };

    interface CommandRow {
      path: (c: Convention) => string;
      body: Record<string, unknown>;
      /** Principals of other organisations: 404, nothing recorded. */
      hiddenFrom: Who[];
      /** The principal of the right organisation, and its success status. */
      right: Who;
      status: 200 | 201;
      /** A convention on which `right` succeeds. */
      setup: () => Promise<Convention>;
    }
    const ROWS: Array<[route: string, row: CommandRow]> = [
      ['POST /conventions/{id}/signatures (funder)', {
        setup: async () => ({ id: await ledger.register(reference()) }), path: () => 'signatures',
        body: { party: 'funder', signatory: 'Yves Le Breton', signedOn: '2020-05-11' }, hiddenFrom: ['otherFunder', 'sameSubjectElsewhere'], right: 'funder', status: 201,
      }],
      ['POST /conventions/{id}/signatures (beneficiary)', {
        setup: async () => ({ id: await ledger.register(reference()) }), path: () => 'signatures',
        body: { party: 'beneficiary', signatory: 'Nadi Bou Hanna', signedOn: '2020-05-11' }, hiddenFrom: ['otherBeneficiary'], right: 'beneficiary', status: 201,
      }],
      ['POST /conventions/{id}/expenses', {
        setup: active, path: () => 'expenses',
        body: { category: 'devops', description: 'Hébergement', amount: '10.00', committedOn: '2020-06-01' }, hiddenFrom: ['otherBeneficiary'], right: 'beneficiary', status: 201,
      }],
      ['POST /conventions/{id}/expenses/{expenseId}/service-done', {
        setup: withExpense({}), path: (c) => `expenses/${c.expenseId}/service-done`,
        body: { on: '2020-07-01' }, hiddenFrom: ['otherBeneficiary'], right: 'beneficiary', status: 200,
      }],
      ['POST /conventions/{id}/expenses/{expenseId}/payment', {
        setup: withExpense({ done: '2020-07-01' }), path: (c) => `expenses/${c.expenseId}/payment`,
        body: { paidOn: '2020-08-01' }, hiddenFrom: ['otherBeneficiary'], right: 'beneficiary', status: 200,
      }],
      ['POST /conventions/{id}/expenses/{expenseId}/acceptance', {
        setup: withExpense({ done: '2020-07-01', paid: '2020-08-01' }), path: (c) => `expenses/${c.expenseId}/acceptance`,
        body: { on: '2020-09-01' }, hiddenFrom: ['otherAccountingOffice'], right: 'accountant', status: 200,
      }],
      ['POST /conventions/{id}/expenses/{expenseId}/rejection', {
        setup: withExpense({}), path: (c) => `expenses/${c.expenseId}/rejection`,
        body: { on: '2020-07-01', reason: 'Inéligible' }, hiddenFrom: ['otherAccountingOffice', 'otherFunder'], right: 'accountant', status: 200,
      }],
      ['POST /conventions/{id}/statements', {
        setup: active, path: () => 'statements',
        body: { cutoff: '2020-10-31', final: false }, hiddenFrom: ['otherBeneficiary'], right: 'beneficiary', status: 201,
      }],
      ['POST /conventions/{id}/statements/{number}/signatures (authorizing officer)', {
        setup: drawnUp, path: () => 'statements/1/signatures',
        body: { as: 'authorizing-officer', signatory: 'Ordonnateur DINUM', signedOn: '2020-11-05' }, hiddenFrom: ['otherOfficer'], right: 'officer', status: 201,
      }],
      ['POST /conventions/{id}/statements/{number}/signatures (public accountant)', {
        setup: drawnUp, path: () => 'statements/1/signatures',
        body: { as: 'public-accountant', signatory: 'Comptable CBCM', signedOn: '2020-11-05' }, hiddenFrom: ['otherAccountingOffice'], right: 'accountant', status: 201,
      }],
      ['POST /conventions/{id}/fund-calls', {
        setup: callable, path: () => 'fund-calls',
        body: { tranche: 2, statement: 1, issuedOn: '2020-11-10' }, hiddenFrom: ['otherBeneficiary'], right: 'beneficiary', status: 201,
      }],
      ['POST /conventions/{id}/payments', {
        setup: active, path: () => 'payments',
        body: { tranche: 1, amount: '800000.00', paidOn: '2020-05-20' }, hiddenFrom: ['otherFunder', 'sameSubjectElsewhere'], right: 'funder', status: 201,
      }],
      ['POST /conventions/{id}/amendments', {
        setup: active, path: () => 'amendments',
        body: { signedOn: '2020-10-01', signatories: SIGNATORIES, changes: { durationMonths: 18 } }, hiddenFrom: ['otherFunder'], right: 'funder', status: 201,
      }],
      ['POST /conventions/{id}/closure', {
        setup: () => closable(), path: () => 'closure',
        body: { on: '2021-06-30', statement: 1 }, hiddenFrom: ['otherFunder'], right: 'funder', status: 201,
      }],
      ['POST /conventions/{id}/termination', {
        setup: active, path: () => 'termination',
        body: { on: '2020-10-01', reason: 'Résiliation', atFault: 'beneficiary' }, hiddenFrom: ['otherFunder', 'otherBeneficiary'], right: 'funder', status: 201,
      }],
      ['POST /conventions/{id}/restitutions', {
        setup: closed(true), path: () => 'restitutions',
        body: { amount: '100.00', paidOn: '2021-07-01' }, hiddenFrom: ['otherBeneficiary'], right: 'beneficiary', status: 201,
      }],
      ['POST /conventions/{id}/settlement-payments', {
        setup: closed(false), path: () => 'settlement-payments',
        body: { amount: '100.00', paidOn: '2021-07-01' }, hiddenFrom: ['otherFunder'], right: 'funder', status: 201,
      }],
    ];

    it.each(ROWS)('%s: 404 to another organisation and 403 to auditors, recording nothing; the right organisation succeeds', async (_route, row) => {
      const convention = await row.setup();
      const path = `/conventions/${convention.id}/${row.path(convention)}`;
      const unknownPath = `/conventions/${UNKNOWN}/${row.path(convention)}`;
      const head = await ledger.headPosition();
      for (const who of row.hiddenFrom) {
        const hidden = await post(path, who, row.body);
        const unknown = await post(unknownPath, who, row.body);
        expect([who, hidden.status, hidden.body]).toEqual([who, 404, unknown.body]);
        expect(hidden.body).toMatchObject({ code: 'CONVENTION_NOT_FOUND' });
      }
      for (const who of AUDITORS) {
        const refused = await post(path, who, row.body);
        expect([who, refused.status, refused.body.code]).toEqual([who, 403, 'FORBIDDEN_ROLE']);
        expect((await post(unknownPath, who, row.body)).body).toEqual(refused.body);
      }
      expect(await ledger.headPosition()).toBe(head);
      const done = await post(path, row.right, row.body);
      expect([done.status, done.body.code]).toEqual([row.status, undefined]);
      expect(done.body.position).toBeGreaterThan(head);
    });

    it('the 404 comes before any business rule: a future date (M4), a draft, an unknown expense or statement, a date rule tell another organisation nothing', async () => {
      const { id } = await active();
      const draft = await ledger.register(reference());
      const head = await ledger.headPosition();
      const cases: Array<[path: string, body: object, right: Who, rightAnswer: [number, string], hiddenFrom: Who]> = [
        [`/conventions/${id}/payments`, { tranche: 1, amount: '1.00', paidOn: '2099-12-31' }, 'funder', [422, 'DATE_IN_FUTURE'], 'otherFunder'],
        [`/conventions/${draft}/expenses`, { category: 'devops', description: 'x', amount: '10.00', committedOn: '2020-06-01' }, 'beneficiary', [422, 'CONVENTION_NOT_ACTIVE'], 'otherBeneficiary'],
        [`/conventions/${id}/expenses/no-such-expense/acceptance`, { on: '2020-09-01' }, 'accountant', [404, 'EXPENSE_NOT_FOUND'], 'otherAccountingOffice'],
        [`/conventions/${id}/statements/9/signatures`, { as: 'public-accountant', signatory: 'x', signedOn: '2020-11-05' }, 'accountant', [404, 'STATEMENT_NOT_FOUND'], 'otherAccountingOffice'],
        [`/conventions/${id}/termination`, { decidedOn: '2020-10-02', effectiveOn: '2020-10-01', reason: 'x', atFault: 'funder' }, 'funder', [422, 'DATE_TOO_EARLY'], 'otherFunder'],
      ];
      for (const [path, body, right, [status, code], stranger] of cases) {
        const answer = await post(path, right, body);
        expect([path, answer.status, answer.body.code]).toEqual([path, status, code]);
        const hidden = await post(path, stranger, body);
        const unknown = await post(path.replace(/\/conventions\/[^/]+/, `/conventions/${UNKNOWN}`), stranger, body);
        expect([path, hidden.status, hidden.body]).toEqual([path, 404, unknown.body]);
      }
      expect(await ledger.headPosition()).toBe(head);
    });

    it('403 FORBIDDEN_PARTY, recording nothing, to a principal who sees the convention but whose role does not act for the party concerned', async () => {
      const { id } = await active();
      const draft = await ledger.register(reference());
      const expenseId = await ledger.expense(id, '100.00', { committed: '2020-06-01', done: '2020-07-01', paid: '2020-08-01' });
      await t.http.post(`/conventions/${id}/statements`).set(WHO.beneficiary).send({ cutoff: '2020-10-31', final: false }).expect(201);
      const head = await ledger.headPosition();
      const cases: Array<[label: string, who: Who, path: string, body: object, actsFor: string[]]> = [
        // ANCT's principal holding both party roles: it sees the convention as its funder.
        ['signs for the beneficiary', 'bothParties', `/conventions/${draft}/signatures`, { party: 'beneficiary', signatory: 'x', signedOn: '2020-05-11' }, ['beneficiary']],
        ['commits an expense', 'bothParties', `/conventions/${id}/expenses`, { category: 'devops', description: 'x', amount: '1.00', committedOn: '2020-06-01' }, ['beneficiary']],
        ['terminates for the beneficiary', 'bothParties', `/conventions/${id}/termination`, { on: '2020-10-01', reason: 'x', atFault: 'funder', decidedBy: 'beneficiary' }, ['beneficiary']],
        // DINUM's principal holding both signing roles: its public accountant sits at SCBCM-SPM.
        ['accepts an expense', 'bothSigningRoles', `/conventions/${id}/expenses/${expenseId}/acceptance`, { on: '2020-09-01' }, ['accounting']],
        ['signs a statement as public accountant', 'bothSigningRoles', `/conventions/${id}/statements/1/signatures`, { as: 'public-accountant', signatory: 'x', signedOn: '2020-11-05' }, ['accounting']],
      ];
      for (const [label, who, path, body, actsFor] of cases) {
        const refused = await post(path, who, body);
        expect([label, refused.status, refused.body]).toEqual([label, 403, expect.objectContaining({ code: 'FORBIDDEN_PARTY', actsFor })]);
      }
      expect(await ledger.headPosition()).toBe(head);
      // What each does act for still goes through.
      await post(`/conventions/${draft}/signatures`, 'bothParties', { party: 'funder', signatory: 'Yves Le Breton', signedOn: '2020-05-11' }).expect(201);
      await post(`/conventions/${id}/statements/1/signatures`, 'bothSigningRoles', { as: 'authorizing-officer', signatory: 'Ordonnateur DINUM', signedOn: '2020-11-05' }).expect(201);
    });
  });

  describe('POST /conventions: a funder registers only in its own organisation\'s name', () => {
    it('403 FORBIDDEN_ORGANISATION for another organisation, nothing recorded, nothing reserved (T6): the rightful funder then registers the reference', async () => {
      const ref = reference('NOT-YOURS');
      const head = await ledger.headPosition();
      const asAnct = await post('/conventions', 'otherFunder', { ...SEED_CONVENTION_BODY, reference: ref }).expect(403);
      expect(asAnct.body).toMatchObject({ statusCode: 403, code: 'FORBIDDEN_ORGANISATION', field: 'funder.organisation' });
      expect((await post('/conventions', 'funder', otherPartiesBody(ref)).expect(403)).body.code).toBe('FORBIDDEN_ORGANISATION');
      // Even a body the domain would refuse (422): the organisation is checked first.
      expect((await post('/conventions', 'otherFunder', { ...SEED_CONVENTION_BODY, reference: ref, ceiling: '1.00' }).expect(403)).body.code).toBe('FORBIDDEN_ORGANISATION');
      for (const who of AUDITORS) expect((await post('/conventions', who, { ...SEED_CONVENTION_BODY, reference: ref }).expect(403)).body.code).toBe('FORBIDDEN_ROLE');
      expect(await ledger.headPosition()).toBe(head);
      await post('/conventions', 'funder', { ...SEED_CONVENTION_BODY, reference: ref }).expect(201);
      await post('/conventions', 'otherFunder', otherPartiesBody(ref)).expect(201);
    });

    it('T6: 409 REFERENCE_TAKEN only within one funder organisation, naming a convention the caller sees; another organisation\'s use of the reference is not revealed', async () => {
      const ref = reference('T6-ACCESS');
      const theirs = (await post('/conventions', 'otherFunder', otherPartiesBody(ref)).expect(201)).body;
      const ours = (await post('/conventions', 'funder', { ...SEED_CONVENTION_BODY, reference: ref }).expect(201)).body;
      expect(ours.id).not.toBe(theirs.id);
      const again = await post('/conventions', 'funder', { ...SEED_CONVENTION_BODY, reference: ref, title: 'again' }).expect(409);
      expect(again.body).toMatchObject({ code: 'REFERENCE_TAKEN', funderOrganisation: ORGANISATIONS.anct, conventionId: ours.id });
      expect(JSON.stringify(again.body)).not.toContain(theirs.id);
      await t.http.get(`/conventions/${again.body.conventionId}?minPosition=${ours.position}`).set(WHO.funder).expect(200);
      await t.http.get(`/conventions/${theirs.id}`).set(WHO.funder).expect(404);
    });
  });

  describe('Idempotency-Key: a principal\'s own (organisation and subject)', () => {
    it('no answer is replayed to the same subject configured in another organisation', async () => {
      const id = await ledger.active(reference());
      const body = { tranche: 1, amount: '800000.00', paidOn: '2020-05-20' };
      const first = await post(`/conventions/${id}/payments`, 'funder', body, 'pay-once').expect(201);
      const head = await ledger.headPosition();
      const elsewhere = await post(`/conventions/${id}/payments`, 'sameSubjectElsewhere', body, 'pay-once');
      expect([elsewhere.status, elsewhere.body.code, elsewhere.headers['idempotent-replayed']]).toEqual([404, 'CONVENTION_NOT_FOUND', undefined]);
      expect(JSON.stringify(elsewhere.body)).not.toContain(first.body.paymentId);
      expect(await ledger.headPosition()).toBe(head);
      // The funder's own retry is still replayed.
      const retry = await post(`/conventions/${id}/payments`, 'funder', body, 'pay-once').expect(201);
      expect([retry.body, retry.headers['idempotent-replayed']]).toEqual([first.body, 'true']);
    });

    it('the same subject registering under the same key in two organisations gets two conventions, each out of the other\'s reach', async () => {
      const ref = reference('SAME-KEY');
      const anct = await post('/conventions', 'funder', { ...SEED_CONVENTION_BODY, reference: ref }, 'register-same-key').expect(201);
      const other = await post('/conventions', 'sameSubjectElsewhere', otherPartiesBody(ref), 'register-same-key').expect(201);
      expect(other.headers['idempotent-replayed']).toBeUndefined();
      expect(other.body.id).not.toBe(anct.body.id);
      const position = Math.max(anct.body.position, other.body.position);
      await t.http.get(`/conventions/${anct.body.id}?minPosition=${position}`).set(WHO.sameSubjectElsewhere).expect(404);
      await t.http.get(`/conventions/${other.body.id}`).set(WHO.funder).expect(404);
      await t.http.get(`/conventions/${other.body.id}`).set(WHO.sameSubjectElsewhere).expect(200);
    });
  });

  describe('what is logged and recorded', () => {
    it('refusals and registrations log nothing, never a token nor a bank account; events record the principal, not its token', async () => {
      const written: string[] = [];
      const capture = (stream: NodeJS.WriteStream) => jest.spyOn(stream, 'write').mockImplementation((chunk: string | Uint8Array) => {
        written.push(String(chunk));
        return true;
      });
      const spies = [capture(process.stdout), capture(process.stderr)];
      const console_ = (['log', 'warn', 'error', 'info', 'debug'] as const).map((level) => jest.spyOn(console, level).mockImplementation((...args: unknown[]) => {
        written.push(args.map(String).join(' '));
      }));
      let id: string;
      try {
        id = (await post('/conventions', 'funder', { ...SEED_CONVENTION_BODY, reference: reference('LOGS') }).expect(201)).body.id;
        await post('/conventions', 'otherFunder', { ...SEED_CONVENTION_BODY, reference: reference('LOGS') }).expect(403);
        await t.http.post('/conventions').set(bearer('not-a-token-but-a-secret-looking-string')).send(SEED_CONVENTION_BODY).expect(401);
        await post(`/conventions/${id}/amendments`, 'otherFunder', { signedOn: '2020-10-01', signatories: SIGNATORIES, changes: { funder: { bankAccount: SEED_CONVENTION_BODY.funder.bankAccount } } }).expect(404);
        await t.http.get(`/conventions/${id}`).set(WHO.otherBeneficiary).expect(404);
        await post(`/conventions/${id}/signatures`, 'bothParties', { party: 'beneficiary', signatory: 'x', signedOn: '2020-05-11' }).expect(403);
        // The net catches what the app's logger writes.
        new Logger('probe').error('probe-line');
      } finally {
        for (const spy of [...spies, ...console_]) spy.mockRestore();
      }
      const logged = written.join('\n');
      expect(logged).toContain('probe-line');
      for (const secret of [...Object.values(TEST_TOKENS), 'not-a-token-but-a-secret-looking-string']) expect(logged).not.toContain(secret);
      for (const account of [SEED_CONVENTION_BODY.funder.bankAccount.accountNumber, SEED_CONVENTION_BODY.beneficiary.bankAccount.accountNumber, 'FR76']) expect(logged).not.toContain(account);
      const events = await t.http.get(`/conventions/${id}/events?minPosition=${await ledger.headPosition()}`).set(WHO.funder).expect(200);
      expect(events.body.events[0].actor).toEqual({ subject: 'anct-finance', roles: ['funder'], organisation: ORGANISATIONS.anct });
      for (const token of Object.values(TEST_TOKENS)) expect(JSON.stringify(events.body)).not.toContain(token);
    });
  });
});
