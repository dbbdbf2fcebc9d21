import Decimal from 'decimal.js';
import fc from 'fast-check';
import {
  type BusinessDate, type ConventionCommand, type ConventionEvent, type ConventionState, type Money, DomainError, MONEY_BOUND, ZERO, evolve, fold,
  formatMoney, ledgerFactsOf, money, upcast,
} from '@cl/domain';
import { figuresAsOf } from '@cl/domain/figures';
import { datesIn, datesThatMatter } from './facts';
import { checkScenario } from './invariants';
import { ChoiceRandom, INVALID_DATES, type Random, addDays } from './random';
import { type DecideCommand, type Scenario, TODAY, decideToday, generateScenario } from './scenario';

/**
 * Property-based tests (fast-check) of the domain core, issue 10: random sequences of valid and
 * invalid commands go through the real decide() and evolve(). The stories are the model-based
 * generator's (scenario.ts: registration, signatures, expenses and their steps, statements and
 * their signatures, fund calls, tranche payments, amendments, closure or termination, the
 * liquidation, restitutions, settlement payments, late rejections), its random draws taken from
 * a list fast-check generates, shrinks and replays. After EVERY step:
 * - the model-based invariants (invariants.ts): received ≤ ceiling and committed ≤ the ceiling in
 *   force, consumed ≤ committed, each tranche's payments ≤ its amount, every statement's
 *   cumulative total = the sum of the lines and corrections, settled ⇔ nothing owed either way,
 *   every figure in cents, now and as of every date that matters;
 * - the ceiling in force on each of those dates, read here from the raw events (registration,
 *   then each amendment from its signature), is the figures' ceiling, and bounds committed and received;
 * - every amount in the recorded events is canonical two-decimal text;
 * - folding the recorded events again, after a JSON round trip and upcast() as the store reads
 *   them, gives the same state as the one evolved step by step;
 * - decide() never changes the state it is given; a refused command changes nothing;
 * - and next to the story, surely invalid variants of its commands (an amount with three
 *   decimals, negative or beyond 10^15, an impossible or future date, an unknown expense,
 *   statement or tranche, a second registration, a command before registration) are refused
 *   with a DomainError.
 *
 * Replay a failure: `FC_SEED=<seed> FC_PATH=<path> npx jest test/model-based/ledger-properties.spec.ts`
 * (both printed with the failure); `FC_RUNS=<n>` runs more stories (docs/testing.md).
 */
const RUNS = Number(process.env.FC_RUNS ?? 50);
const SEED = process.env.FC_SEED !== undefined ? Number(process.env.FC_SEED) : Date.now() ^ (Math.random() * 0x100000000);
const PATH = process.env.FC_PATH;
/** How often a command of the story is also tried in a surely invalid variant. */
const MUTATION_RATE = 0.25;
/**
 * The run stops after this (fewer stories on a slow machine; a shrinking in progress reports what
 * it reached), within the Jest timeout. FC_TIME_LIMIT_MS raises it for long hunts.
 */
const TIME_LIMIT_MS = Number(process.env.FC_TIME_LIMIT_MS ?? 30_000);

/** The state as text: Maps as entries, Decimals as their text (toJSON). */
const snapshot = (state: ConventionState) => JSON.stringify(state, (_key, value) => (value instanceof Map ? [...value.entries()] : value));

const MONEY_KEYS = new Set([
  'amount', 'ceiling', 'threshold', 'total', 'previousCumulativeTotal', 'cumulativeTotal', 'statementCumulativeTotal', 'consumed', 'participation',
  'received', 'restitutionDue', 'owedToBeneficiary', 'restitutionOutstanding',
]);
/** Canonical two-decimal money text; corrections of statements are negative. */
const CANONICAL_AMOUNT = /^-?(0|[1-9][0-9]*)\.[0-9]{2}$/;

/** Every money value an event carries that is not canonical two-decimal text, with its path. */
function nonCanonicalAmounts(value: unknown, path: string, out: string[] = []): string[] {
  if (Array.isArray(value)) value.forEach((item, i) => nonCanonicalAmounts(item, `${path}[${i}]`, out));
  else if (value !== null && typeof value === 'object') {
    for (const [key, item] of Object.entries(value)) {
      if (MONEY_KEYS.has(key) && (typeof item !== 'object' || item === null) && !(typeof item === 'string' && CANONICAL_AMOUNT.test(item))) {
        out.push(`${path}.${key} = ${JSON.stringify(item)}`);
      } else nonCanonicalAmounts(item, `${path}.${key}`, out);
    }
  }
  return out;
}

const DATE_TEXT = /^[0-9]{4}-[0-9]{2}-[0-9]{2}$/;

/**
 * A variant of `command` that no state may accept, or undefined when the command has nothing
 * to break that way. Each one breaks a rule checked whatever the state (M1, M2, M4, existence).
 */
function surelyInvalid(
  command: ConventionCommand, state: ConventionState, rng: Random, registration?: ConventionCommand,
): { why: string; command: ConventionCommand } | undefined {
  const fields = command as unknown as Record<string, unknown>;
  const variants: { why: string; command: ConventionCommand }[] = [];
  const variant = (why: string, changes: Record<string, unknown>) => variants.push({ why, command: { ...fields, ...changes } as unknown as ConventionCommand });
  const amountKey = (['amount', 'ceiling'] as const).find((key) => fields[key] instanceof Decimal);
  if (amountKey) {
    const amount = fields[amountKey] as Money;
    variant(`${amountKey} with three decimals (M1)`, { [amountKey]: amount.plus('0.001') });
    variant(`negative ${amountKey} (M1)`, { [amountKey]: amount.negated().minus('0.01') });
    variant(`${amountKey} of 10^15 or more (M1)`, { [amountKey]: MONEY_BOUND.plus(amount) });
  }
  const dateKey = Object.keys(fields).find((key) => typeof fields[key] === 'string' && DATE_TEXT.test(fields[key] as string));
  if (dateKey) {
    variant(`${dateKey} not a calendar date (M2)`, { [dateKey]: rng.pick(INVALID_DATES.filter((d) => d !== '')) });
    variant(`${dateKey} after today (M4)`, { [dateKey]: addDays(TODAY, rng.int(1, 400)) });
  }
  if (state === null) {
    variants.push({ why: 'a command before registration', command: { type: 'SignConvention', party: 'funder', signatory: 'F', signedOn: '2020-01-01' } });
  } else {
    if (registration) variants.push({ why: 'a second registration of the same convention', command: registration });
    if ('expenseId' in command && command.type !== 'CommitExpense') variant('an unknown expense', { expenseId: 'no-such-expense' });
    if (command.type === 'CommitExpense' && state.expenses.size > 0) variant('an expense id already used', { expenseId: rng.pick([...state.expenses.keys()]) });
    if (command.type === 'SignStatement' || command.type === 'CloseConvention') variant('an unknown statement', { [command.type === 'SignStatement' ? 'number' : 'statement']: state.statements.length + rng.int(1, 50) });
    if (command.type === 'PayTranche' || command.type === 'IssueFundCall') variant('an unknown tranche', { tranche: state.tranches.length + rng.int(1, 50) });
  }
  return variants.length > 0 ? rng.pick(variants) : undefined;
}

/** decide() on TODAY, watched: it never changes its state, and the invalid variants are refused. */
function watchedDecide(rng: Random, problems: string[]): DecideCommand {
  const registrations = new Map<string, ConventionCommand>();
  return (command, state) => {
    if (command.type === 'RegisterConvention') registrations.set(command.conventionId, command);
    const before = snapshot(state);
    const unchanged = (what: string) => {
      if (snapshot(state) !== before) problems.push(`${what} changed the state it was given: ${JSON.stringify(command)}`);
    };
    if (rng.chance(MUTATION_RATE)) {
      const invalid = surelyInvalid(command, state, rng, state ? registrations.get(state.conventionId) : undefined);
      if (invalid) {
        try {
          const events = decideToday(invalid.command, state);
          problems.push(`${invalid.why} was accepted: ${JSON.stringify(invalid.command)} recorded ${JSON.stringify(events)}`);
        } catch (error) {
          if (!(error instanceof DomainError)) problems.push(`${invalid.why}: decide threw ${String(error)} instead of a DomainError`);
        }
        unchanged(`the refused variant (${invalid.why})`);
      }
    }
    try {
      return decideToday(command, state);
    } finally {
      unchanged(`deciding ${command.type}`);
    }
  };
}

/** The ceiling in force on `date`, read from the raw events: the registration's, then each amendment's from its signature (A3). */
function ceilingInForce(events: readonly ConventionEvent[], date: BusinessDate): Money {
  let ceiling = ZERO;
  for (const e of events) {
    if (e.type === 'ConventionRegistered') ceiling = money(e.data.ceiling);
    if (e.type === 'ConventionAmended' && e.data.signedOn <= date) ceiling = money(e.data.ceiling);
  }
  return ceiling;
}

/** The checks of this file that invariants.ts does not make, after every step of every convention. */
function replayViolations(scenario: Scenario): string[] {
  const out: string[] = [];
  const events = new Map<string, ConventionEvent[]>();
  const states = new Map<string, ConventionState>();
  const refolded = new Map<string, ConventionState>();
  scenario.log.forEach((decided, step) => {
    const where = `step ${step} (${decided.conventionId}, ${JSON.stringify(decided.command)})`;
    const recorded = [...(events.get(decided.conventionId) ?? []), ...decided.events];
    events.set(decided.conventionId, recorded);
    let state = states.get(decided.conventionId) ?? null;
    for (const e of decided.events) state = evolve(state, e);
    states.set(decided.conventionId, state);
    for (const e of decided.events) out.push(...nonCanonicalAmounts(e.data, e.type).map((v) => `${where}: amount not in cents: ${v}`));
    // fold() is evolve() over the events in order: folding the stored events again, step by step,
    // from the state folded so far, is folding them all again.
    const stored = decided.events.map((e) => upcast(JSON.parse(JSON.stringify({ type: e.type, schemaVersion: e.schemaVersion, data: e.data }))));
    const again = fold(stored, refolded.get(decided.conventionId) ?? null);
    refolded.set(decided.conventionId, again);
    if (snapshot(again) !== snapshot(state)) out.push(`${where}: folding the recorded events again gives another state`);
    if (state === null) return;
    const facts = ledgerFactsOf(state);
    const dates = datesThatMatter(datesIn(recorded.map((e) => e.data)));
    for (const date of dates) {
      const ceiling = ceilingInForce(recorded, date);
      const f = figuresAsOf(facts, date);
      if (!f.ceiling.equals(ceiling)) out.push(`${where}: as of ${date} the figures' ceiling is ${formatMoney(f.ceiling)}, the events' ${formatMoney(ceiling)} (A3)`);
      if (f.committed.greaterThan(ceiling)) out.push(`${where}: as of ${date} committed ${formatMoney(f.committed)} > ceiling in force ${formatMoney(ceiling)} (E4)`);
      if (f.received.greaterThan(ceiling)) out.push(`${where}: as of ${date} received ${formatMoney(f.received)} > ceiling in force ${formatMoney(ceiling)} (P1)`);
    }
  });
  return out;
}

/** A story: how many conventions, fast-check's list of draws, and the seed of the draws after it. */
const stories = fc.record({
  conventions: fc.integer({ min: 1, max: 3 }),
  choices: fc.array(fc.nat({ max: 0xffffffff }), { maxLength: 2_000, size: 'max' }),
  tail: fc.nat(),
});

describe(`property (fast-check): random ledgers keep their invariants after every command (seed ${SEED}${PATH ? `, path ${PATH}` : ''})`, () => {
  it(PATH ? 'the replayed story' : `${RUNS} random stories of valid and invalid commands`, () => {
    const reached = { accepted: 0, refused: 0, ended: 0, settled: 0 };
    const property = fc.property(stories, ({ conventions, choices, tail }) => {
      const rng = new ChoiceRandom(choices, tail);
      const problems: string[] = [];
      const scenario = generateScenario(tail, conventions, { rng, decide: watchedDecide(rng, problems) });
      reached.accepted += scenario.accepted;
      reached.refused += scenario.attempted - scenario.accepted;
      for (const { state } of scenario.conventions.values()) {
        if (state.status !== 'active' && state.status !== 'draft') reached.ended += 1;
        if (state.status === 'settled') reached.settled += 1;
      }
      const violations = [...scenario.crashes.map((c) => `decide crashed: ${c}`), ...problems, ...checkScenario(scenario).violations, ...replayViolations(scenario)];
      if (violations.length > 0) throw new Error(`${violations.length} violations:\n${violations.slice(0, 10).join('\n')}`);
    });
    const details = fc.check(property, {
      numRuns: PATH ? 1 : RUNS, seed: SEED, ...(PATH ? { path: PATH, endOnFailure: true } : {}),
      interruptAfterTimeLimit: TIME_LIMIT_MS, markInterruptAsFailure: false,
    });
    if (details.failed) {
      // The counterexample itself is a long list of draws: the replay line and the violations say more.
      throw new Error(`property failed after ${details.numRuns} stories, shrunk ${details.numShrinks} times${details.interrupted ? ' (shrinking cut short)' : ''}; `
        + `replay: FC_SEED=${details.seed} FC_PATH=${details.counterexamplePath} npx jest test/model-based/ledger-properties.spec.ts\n`
        + `${details.errorInstance instanceof Error ? details.errorInstance.message : String(details.errorInstance)}`);
    }
    // The stories must get deep into the lifecycle, or the properties say little about it (judged
    // on the stories run: on a slow machine the time limit may stop the run before RUNS).
    if (!PATH && details.numRuns >= 20) {
      expect(reached.accepted).toBeGreaterThan(reached.refused);
      expect(reached.ended).toBeGreaterThan(0);
    }
  }, TIME_LIMIT_MS + 30_000);
});
