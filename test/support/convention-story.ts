import { Random } from '../model-based/random';
import { SEED_CONVENTION_BODY } from './seed-http';
import type { JsonAnswer } from './json-client';
import { bearer, TEST_TOKENS } from './test-app';

export type StoryRole = 'funder' | 'beneficiary' | 'officer' | 'accountant';

/** One command of a story, as a client sends it: POST path, body, under an Idempotency-Key. */
export interface StoryCommand {
  key: string;
  role: StoryRole;
  path: string;
  body: Record<string, unknown>;
  /** What the command is, for reports. */
  kind: StoryKind;
  /** The events it records, all in one append: what a crash must never cut short. */
  records: readonly string[];
}

/** The events each kind of command records in a story (the second signature: took effect, tranche 1 due; a fund call: tranche 2 due). */
const RECORDS = {
  register: ['ConventionRegistered'],
  sign: ['ConventionSigned'],
  'sign-takes-effect': ['ConventionSigned', 'ConventionTookEffect', 'TrancheFellDue'],
  'pay-tranche': ['TranchePaid'],
  expense: ['ExpenseCommitted'],
  'service-done': ['ExpenseServiceDone'],
  'expense-paid': ['ExpensePaid'],
  acceptance: ['ExpenseAccepted'],
  statement: ['StatementDrawnUp'],
  'statement-signature': ['StatementSigned'],
  'fund-call': ['FundCallIssued', 'TrancheFellDue'],
  closure: ['ConventionClosed'],
  restitution: ['RestitutionPaid'],
} as const;

export type StoryKind = keyof typeof RECORDS;

const TOKEN_OF: Record<StoryRole, string> = {
  funder: TEST_TOKENS.funder, beneficiary: TEST_TOKENS.beneficiary, officer: TEST_TOKENS.authorizingOfficer, accountant: TEST_TOKENS.publicAccountant,
};

/** The headers a command goes with: its role's token (test/support/test-app.ts) and its key. */
export const storyHeaders = (command: StoryCommand) => ({ ...bearer(TOKEN_OF[command.role]), 'Idempotency-Key': command.key });

/** A story is driven by its client: each command yielded gets its answer back. */
export type Story = Generator<StoryCommand, void, JsonAnswer>;

/** Commands in one story (registration to restitutions) with `expenses` expenses. */
export const storyLength = (expenses: number) => 16 + 4 * expenses;

const addDays = (date: string, days: number) => new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);

/**
 * The whole life of one convention (the seed's terms, signed on 2020-05-11, 12 months) in keyed
 * commands that all succeed when played in order: registration and both signatures (the second
 * records three events: signed, took effect, tranche 1 due), tranche 1 in two payments, expenses
 * through their four steps, statement 1 signed, the fund call of tranche 2 and its payment, the
 * final statement signed, the closure, then two restitutions. Amounts are drawn from `random`.
 */
export function* conventionStory(name: string, random: Random, expenses: number): Story {
  let sequence = 0;
  const command = (kind: StoryKind, role: StoryRole, path: string, body: Record<string, unknown>): StoryCommand =>
    ({ key: `${name}-${String(++sequence).padStart(3, '0')}-${kind}`, role, path, body, kind, records: RECORDS[kind] });
  const cents = (min: number, max: number) => (random.int(min * 100, max * 100) / 100).toFixed(2);

  const registered = yield command('register', 'funder', '/conventions', { ...SEED_CONVENTION_BODY, reference: name });
  const id = registered.body.id as string;
  const at = (path: string) => `/conventions/${id}${path}`;
  yield command('sign', 'funder', at('/signatures'), { party: 'funder', signatory: 'Yves Le Breton', signedOn: '2020-05-11' });
  yield command('sign-takes-effect', 'beneficiary', at('/signatures'), { party: 'beneficiary', signatory: 'Nadi Bou Hanna', signedOn: '2020-05-11' });
  yield command('pay-tranche', 'funder', at('/payments'), { tranche: 1, amount: '400000.00', paidOn: '2020-05-20' });
  yield command('pay-tranche', 'funder', at('/payments'), { tranche: 1, amount: '400000.00', paidOn: '2020-06-20' });
  for (let e = 0; e < expenses; e++) {
    // Tranche 2 is released at 600,000.00 consumed: the expenses reach it whatever the draw.
    const committedOn = addDays('2020-06-01', random.int(0, 60));
    const committed = yield command('expense', 'beneficiary', at('/expenses'),
      { category: random.pick(SEED_CONVENTION_BODY.expenseCategories), description: `expense ${e + 1}`, amount: cents(Math.ceil(610_000 / expenses), 45_000), committedOn });
    const expense = at(`/expenses/${committed.body.expenseId as string}`);
    yield command('service-done', 'beneficiary', `${expense}/service-done`, { on: addDays(committedOn, random.int(1, 30)) });
    yield command('expense-paid', 'beneficiary', `${expense}/payment`, { paidOn: addDays(committedOn, random.int(31, 60)) });
    yield command('acceptance', 'accountant', `${expense}/acceptance`, { on: addDays(committedOn, random.int(61, 90)) });
  }
  yield command('statement', 'beneficiary', at('/statements'), { cutoff: '2020-12-31', final: false, drawnUpOn: '2021-01-05' });
  yield command('statement-signature', 'officer', at('/statements/1/signatures'), { as: 'authorizing-officer', signatory: 'Ordonnateur DINUM', signedOn: '2021-01-10' });
  yield command('statement-signature', 'accountant', at('/statements/1/signatures'), { as: 'public-accountant', signatory: 'Comptable CBCM', signedOn: '2021-01-11' });
  yield command('fund-call', 'beneficiary', at('/fund-calls'), { tranche: 2, statement: 1, issuedOn: '2021-01-15' });
  yield command('pay-tranche', 'funder', at('/payments'), { tranche: 2, amount: '400000.00', paidOn: '2021-01-20' });
  yield command('statement', 'beneficiary', at('/statements'), { cutoff: '2021-05-11', final: true, drawnUpOn: '2021-05-15' });
  yield command('statement-signature', 'officer', at('/statements/2/signatures'), { as: 'authorizing-officer', signatory: 'Ordonnateur DINUM', signedOn: '2021-05-20' });
  yield command('statement-signature', 'accountant', at('/statements/2/signatures'), { as: 'public-accountant', signatory: 'Comptable CBCM', signedOn: '2021-05-21' });
  yield command('closure', 'funder', at('/closure'), { on: '2021-06-30', statement: 2 });
  yield command('restitution', 'beneficiary', at('/restitutions'), { amount: cents(100, 5_000), paidOn: '2021-07-01' });
  yield command('restitution', 'beneficiary', at('/restitutions'), { amount: cents(100, 5_000), paidOn: '2021-07-02' });
}

/**
 * Plays a story: each command through `deliver` (which may retry it), its answer handed back.
 * Resolves with the commands that did not succeed (a story's commands all should).
 */
export async function tell(story: Story, deliver: (command: StoryCommand) => Promise<JsonAnswer>): Promise<string[]> {
  const failures: string[] = [];
  let step = story.next(undefined as unknown as JsonAnswer);
  while (!step.done) {
    const answer = await deliver(step.value);
    if (answer.status < 200 || answer.status >= 300) failures.push(`${step.value.key}: ${answer.status} ${JSON.stringify(answer.body)}`);
    step = story.next(answer);
  }
  return failures;
}
