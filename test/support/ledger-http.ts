import type { TestApp } from './test-app';
import { bearer, TEST_TOKENS } from './test-app';
import { SEED_CONVENTION_BODY } from './seed-http';

/** The callers of the end-to-end tests, by role. */
export const AS = {
  funder: bearer(TEST_TOKENS.funder),
  beneficiary: bearer(TEST_TOKENS.beneficiary),
  officer: bearer(TEST_TOKENS.authorizingOfficer),
  accountant: bearer(TEST_TOKENS.publicAccountant),
  auditor: bearer(TEST_TOKENS.auditor),
};

export interface ExpenseSteps {
  committed: string;
  done?: string;
  paid?: string;
  accepted?: string;
  category?: string;
  description?: string;
}

/** Steps of the ledger over HTTP, each expecting success: what the scenarios are made of. */
export function ledgerOver(t: TestApp) {
  return {
    /** The seed convention under another reference (T6: one reference per funder organisation). */
    async register(reference: string, overrides: Record<string, unknown> = {}): Promise<string> {
      return (await t.http.post('/conventions').set(AS.funder).send({ ...SEED_CONVENTION_BODY, reference, ...overrides }).expect(201)).body.id;
    },

    /** Registered and signed by both parties on `signedOn`: tranche 1 (800,000.00) falls due. */
    async active(reference: string, signedOn = '2020-05-11'): Promise<string> {
      const id = await this.register(reference);
      await t.http.post(`/conventions/${id}/signatures`).set(AS.funder).send({ party: 'funder', signatory: 'Yves Le Breton', signedOn }).expect(201);
      await t.http.post(`/conventions/${id}/signatures`).set(AS.beneficiary).send({ party: 'beneficiary', signatory: 'Nadi Bou Hanna', signedOn }).expect(201);
      return id;
    },

    async payTranche(id: string, tranche: number, amount: string, paidOn: string): Promise<number> {
      return (await t.http.post(`/conventions/${id}/payments`).set(AS.funder).send({ tranche, amount, paidOn }).expect(201)).body.position;
    },

    /** An expense taken as far as the steps given. */
    async expense(id: string, amount: string, steps: ExpenseSteps): Promise<string> {
      const category = steps.category ?? 'devops';
      const expenseId = (await t.http.post(`/conventions/${id}/expenses`).set(AS.beneficiary)
        .send({ category, description: steps.description ?? `${category}: ${amount}`, amount, committedOn: steps.committed }).expect(201)).body.expenseId;
      if (steps.done) await t.http.post(`/conventions/${id}/expenses/${expenseId}/service-done`).set(AS.beneficiary).send({ on: steps.done }).expect(200);
      if (steps.paid) await t.http.post(`/conventions/${id}/expenses/${expenseId}/payment`).set(AS.beneficiary).send({ paidOn: steps.paid }).expect(200);
      if (steps.accepted) await t.http.post(`/conventions/${id}/expenses/${expenseId}/acceptance`).set(AS.accountant).send({ on: steps.accepted }).expect(200);
      return expenseId as string;
    },

    /** A statement drawn up, then signed by the authorizing officer and the public accountant. */
    async signedStatement(id: string, body: { cutoff: string; final: boolean; drawnUpOn?: string }, signedOn: [string, string]) {
      const statement = (await t.http.post(`/conventions/${id}/statements`).set(AS.beneficiary).send(body).expect(201)).body;
      await t.http.post(`/conventions/${id}/statements/${statement.number}/signatures`).set(AS.officer)
        .send({ as: 'authorizing-officer', signatory: 'Ordonnateur DINUM', signedOn: signedOn[0] }).expect(201);
      const last = await t.http.post(`/conventions/${id}/statements/${statement.number}/signatures`).set(AS.accountant)
        .send({ as: 'public-accountant', signatory: 'Comptable CBCM', signedOn: signedOn[1] }).expect(201);
      return { ...statement, position: last.body.position as number };
    },

    /** The balance once the read models include `position`, now or as of a date. */
    async balance(id: string, position: number, asOf?: string) {
      return (await t.http.get(`/conventions/${id}/balance?minPosition=${position}${asOf ? `&asOf=${asOf}` : ''}`).set(AS.auditor).expect(200)).body;
    },

    /** The global position of the last event recorded (GET /health). */
    async headPosition(): Promise<number> {
      return (await t.http.get('/health').expect(200)).body.store.headPosition;
    },
  };
}

/**
 * A story told step by step, where every step stands alone (docs/testing.md, random order): each
 * test starts from a fresh state and replays the steps before its own, so `-t <step>` runs alone.
 */
export function eachStepAlone<State>(fresh: () => Promise<State>, steps: Array<[title: string, run: (state: State) => Promise<void>]>): void {
  steps.forEach(([title, run], index) => {
    it(title, async () => {
      const state = await fresh();
      for (const [, before] of steps.slice(0, index)) await before(state);
      await run(state);
    });
  });
}
