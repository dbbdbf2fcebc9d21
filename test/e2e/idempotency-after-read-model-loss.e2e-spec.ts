import * as fs from 'node:fs';
import * as path from 'node:path';
import { AS, ledgerOver } from '../support/ledger-http';
import { SEED_CONVENTION_BODY } from '../support/seed-http';
import { startTestApp, type TestApp } from '../support/test-app';

/**
 * Idempotency-Key when the answer store is gone (docs/architecture.md, "Idempotency-Key"): the
 * remembered answers live in the read-model database, derived and disposable. Once it is deleted,
 * a retry is recognised from the facts alone, which record the request's fingerprint: the same
 * key and body get the first answer again and record nothing; the same key with another body is
 * a 422 IDEMPOTENCY_KEY_REUSED and records nothing, for every command that creates something.
 */
describe('Idempotency-Key after the read-model database is deleted', () => {
  let first: TestApp | undefined;
  let second: TestApp | undefined;

  afterAll(async () => {
    await second?.close();
    if (first) fs.rmSync(first.dataDir, { recursive: true, force: true });
  });

  interface Case {
    name: string;
    as: Record<string, string>;
    path: string;
    body: Record<string, unknown>;
    otherBody: Record<string, unknown>;
  }

  it('replays each creating command from the facts, and refuses its key for another body, recording nothing', async () => {
    first = await startTestApp();
    const t = first;
    const ledger = ledgerOver(t);
    const post = (app: TestApp, c: Case, body: Record<string, unknown>) =>
      app.http.post(c.path).set(c.as).set({ 'Idempotency-Key': `idem-${c.name}` }).send(body);

    const funded = await ledger.active('IDEM-FUNDED');
    const drawn = await ledger.active('IDEM-STATEMENT');
    await ledger.expense(drawn, '610000.75', { committed: '2020-06-01', done: '2020-07-01', paid: '2020-08-01', accepted: '2020-09-01' });
    const closedWith = async (reference: string, payTrancheOne: boolean) => {
      const id = await ledger.active(reference);
      if (payTrancheOne) await ledger.payTranche(id, 1, '800000.00', '2020-05-20');
      await ledger.expense(id, '100.00', { committed: '2020-06-01', done: '2020-07-01', paid: '2020-08-01', accepted: '2020-09-01' });
      await ledger.signedStatement(id, { cutoff: '2021-05-11', final: true }, ['2021-05-20', '2021-05-21']);
      await t.http.post(`/conventions/${id}/closure`).set(AS.funder).send({ on: '2021-06-30', statement: 1 }).expect(201);
      return id;
    };
    const restituting = await closedWith('IDEM-RESTITUTION', true);
    const owed = await closedWith('IDEM-SETTLEMENT', false);

    const cases: Case[] = [
      { name: 'registration', as: AS.funder, path: '/conventions', body: { ...SEED_CONVENTION_BODY, reference: 'IDEM-REGISTERED' }, otherBody: { ...SEED_CONVENTION_BODY, reference: 'IDEM-OTHER' } },
      { name: 'payment', as: AS.funder, path: `/conventions/${funded}/payments`, body: { tranche: 1, amount: '800000.00', paidOn: '2020-05-20' }, otherBody: { tranche: 1, amount: '700000.00', paidOn: '2020-05-20' } },
      { name: 'expense', as: AS.beneficiary, path: `/conventions/${funded}/expenses`,
        body: { category: 'devops', description: 'hébergement', amount: '5.00', committedOn: '2020-06-01' },
        otherBody: { category: 'devops', description: 'hébergement', amount: '500.00', committedOn: '2020-06-01' } },
      { name: 'statement', as: AS.beneficiary, path: `/conventions/${drawn}/statements`,
        body: { cutoff: '2020-10-31', final: false, drawnUpOn: '2020-11-05' }, otherBody: { cutoff: '2020-10-30', final: false, drawnUpOn: '2020-11-05' } },
      { name: 'restitution', as: AS.beneficiary, path: `/conventions/${restituting}/restitutions`, body: { amount: '100.00', paidOn: '2021-07-01' }, otherBody: { amount: '500.00', paidOn: '2021-07-01' } },
      { name: 'settlement-payment', as: AS.funder, path: `/conventions/${owed}/settlement-payments`, body: { amount: '40.00', paidOn: '2021-07-01' }, otherBody: { amount: '50.00', paidOn: '2021-07-01' } },
    ];
    const firstAnswers = new Map<string, unknown>();
    for (const c of cases) firstAnswers.set(c.name, (await post(t, c, c.body).expect(201)).body);

    // The fund call needs statement 1 (drawn up under a key above) signed first.
    for (const [as, role] of [[AS.officer, 'authorizing-officer'], [AS.accountant, 'public-accountant']] as const) {
      await t.http.post(`/conventions/${drawn}/statements/1/signatures`).set(as).send({ as: role, signatory: role, signedOn: '2020-11-05' }).expect(201);
    }
    const fundCall: Case = { name: 'fund-call', as: AS.beneficiary, path: `/conventions/${drawn}/fund-calls`,
      body: { tranche: 2, statement: 1, issuedOn: '2020-11-10' }, otherBody: { tranche: 2, statement: 1, issuedOn: '2020-11-11' } };
    cases.push(fundCall);
    firstAnswers.set(fundCall.name, (await post(t, fundCall, fundCall.body).expect(201)).body);
    expect((firstAnswers.get('statement') as { number: number }).number).toBe(1);

    // The read models, and the answers remembered with them, are deleted; the facts stay.
    const dataDir = t.dataDir;
    await t.app.close();
    for (const suffix of ['', '-wal', '-shm']) fs.rmSync(path.join(dataDir, `read-models.sqlite${suffix}`), { force: true });
    second = await startTestApp({ DATA_DIR: dataDir });
    const again = second;
    const head = await ledgerOver(again).headPosition();

    for (const c of cases) {
      // Another body under the key first: refused, and the key is not taken by it.
      const reused = await post(again, c, c.otherBody);
      expect({ name: c.name, status: reused.status, code: reused.body.code }).toEqual({ name: c.name, status: 422, code: 'IDEMPOTENCY_KEY_REUSED' });
      const replayed = await post(again, c, c.body);
      expect({ name: c.name, status: replayed.status, body: replayed.body }).toEqual({ name: c.name, status: 201, body: firstAnswers.get(c.name) });
      // Remembered again now: the store's own replay, and its own refusal.
      const twice = await post(again, c, c.body).expect(201);
      expect(twice.body).toEqual(firstAnswers.get(c.name));
      expect(twice.header['idempotent-replayed']).toBe('true');
      expect((await post(again, c, c.otherBody).expect(422)).body.code).toBe('IDEMPOTENCY_KEY_REUSED');
      expect(await ledgerOver(again).headPosition()).toBe(head);
    }
  });
});
