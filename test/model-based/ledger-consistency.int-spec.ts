import { randomUUID } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { type BusinessDate, type ConventionEvent, type RegisteredConvention, conventionStream, money, sum } from '@cl/domain';
import { SqliteEventStore } from '@cl/event-store';
import { createReadModelDb, createReadModelSchema, dumpReadModels, Projector, ReadModelQueries } from '@cl/read-models';
import { openPostgresReadModels, type ReadModelTestDb } from '../read-models/support/read-model-dialects';
import { coverageOf, coverageShortfalls } from './coverage';
import {
  type ExpectedBalance, differences, expectedBalance, expectedConvention, expectedExpenses, expectedStatements, moneyLeaves, projectOnto,
} from './expectations';
import { factDatesOf } from './facts';
import { Random, addDays } from './random';
import { type Scenario, generateScenario } from './scenario';
import { MODEL_BASED_FIXED_SEEDS, acceptanceProblem, replaySeeds } from './seeds';

/**
 * Model-based consistency between the write side (decide/evolve and the domain's one figures
 * function) and the read side (projections and queries of libs/read-models), on real stores:
 * random scenarios go through decide(), their events are appended to a real SqliteEventStore,
 * projected by the real Projector into SQLite and PostgreSQL, and every figure the read side
 * answers is compared with `figuresOf(state, asOf)`, now and as of the dates that matter.
 *
 * Each seed runs on its own store and its own databases, and the rebuild and coverage checks
 * build their own, so any test passes alone and in any order. Without PostgreSQL
 * (TEST_POSTGRES_URL) the suite fails: `npm test` provides one, and there is no opt-out.
 *
 * Replay one scenario: MODEL_SEED=<seed> bash scripts/with-postgres.sh npx jest test/model-based
 */
const SEEDS = replaySeeds() ?? [...MODEL_BASED_FIXED_SEEDS];

interface Dialect {
  name: 'sqlite' | 'postgres';
  readModels: ReadModelTestDb;
}

interface Environment {
  store: SqliteEventStore;
  dialects: Dialect[];
  close(): Promise<void>;
}

/**
 * A fresh event store and fresh read-model databases on both dialects. PostgreSQL first: without
 * a server (TEST_POSTGRES_URL) this fails at once, with nothing else left open; there is no opt-out.
 */
async function openEnvironment(): Promise<Environment> {
  const postgres = await openPostgresReadModels();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cl-model-based-'));
  const store = new SqliteEventStore(path.join(dir, 'events.sqlite'), { pollIntervalMs: 20 });
  const dialects: Dialect[] = [{ name: 'postgres', readModels: postgres }];
  const close = async () => {
    for (const dialect of dialects) await dialect.readModels.close();
    await store.close();
    fs.rmSync(dir, { recursive: true, force: true });
  };
  try {
    const file = path.join(dir, 'read-models.sqlite');
    const db = createReadModelDb({ kind: 'sqlite', file });
    await createReadModelSchema(db);
    dialects.unshift({
      name: 'sqlite',
      readModels: { config: { kind: 'sqlite', file }, db, queries: new ReadModelQueries(db), url: `sqlite:${file}`, close: () => db.destroy() },
    });
  } catch (error) {
    await close();
    throw error;
  }
  return { store, dialects, close };
}

/** Appends each accepted command's events as the executor would: one append per command. */
async function append(store: SqliteEventStore, scenario: Scenario): Promise<void> {
  let recordedAt = Date.UTC(2030, 0, 1);
  for (const decided of scenario.log) {
    const requestId = randomUUID();
    await store.appendToStream(conventionStream(decided.conventionId), decided.events.map((e) => {
      recordedAt += 1000;
      return {
        id: randomUUID(),
        type: e.type,
        data: e.data as unknown as Record<string, unknown>,
        metadata: {
          actor: decided.actor, recordedAt: new Date(recordedAt).toISOString(), requestId, correlationId: requestId, causationId: requestId,
          schemaVersion: e.schemaVersion,
        },
      };
    }), 'any');
  }
}

async function project(env: Environment, rng: Random): Promise<void> {
  // Batches of random size: a batch boundary must never change what is projected.
  for (const dialect of env.dialects) await new Projector(env.store, dialect.readModels.db, { batchSize: rng.int(1, 200) }).catchUp();
}

/**
 * The dates at which the past is compared: the ones where a convention's figures turn (the day
 * it took effect, each amendment, its end, the day its final statement became valid, its
 * settlement, a late rejection, the first payments either way after the end), the day before
 * each, and a few other fact dates.
 */
function comparisonDates(state: RegisteredConvention, events: readonly ConventionEvent[], rng: Random): BusinessDate[] {
  const turning: (BusinessDate | undefined)[] = [
    state.effectiveOn, ...state.terms.map((t) => t.from), state.closure?.on, state.termination?.decidedOn, state.termination?.effectiveOn,
    ...state.statements.filter((s) => s.final).map((s) => s.signatures.map((sig) => sig.signedOn).sort().at(-1)),
    state.settledOn, state.restitutions[0]?.paidOn, state.settlementPayments[0]?.paidOn,
    ...[...state.expenses.values()].map((e) => e.rejection?.on).filter((d) => d !== undefined && d >= (state.closure?.on ?? state.termination?.effectiveOn ?? '9999')),
  ];
  const all = factDatesOf(events);
  const picked = new Set<BusinessDate>();
  for (const date of turning) if (date) picked.add(date).add(addDays(date, -1));
  for (let i = 0; i < 3 && all.length > 0; i++) picked.add(addDays(rng.pick(all), rng.int(-1, 1)));
  return [...picked].sort();
}

/** Every read-side answer for one scenario, against the domain. One line per difference. */
async function compare(dialect: Dialect, scenario: Scenario, rng: Random): Promise<string[]> {
  const { queries, db } = dialect.readModels;
  const found: string[] = [];
  const report = (conventionId: string, what: string, lines: string[]) =>
    lines.forEach((line) => found.push(`[${dialect.name}] ${conventionId} ${what}: ${line}`));

  const balances: ExpectedBalance[] = [];
  for (const [conventionId, { events, state }] of scenario.conventions) {
    const expected = expectedBalance(state);
    balances.push(expected);
    const balance = await queries.getBalance(conventionId);
    if (!balance) {
      report(conventionId, 'balance', ['missing']);
      continue;
    }
    report(conventionId, 'balance', differences(balance, expected));

    // The stored current balance row holds the query's figures, wherever it has a column for one.
    const row = await db.selectFrom('rm_balances').selectAll().where('convention_id', '=', conventionId).executeTakeFirst() as Record<string, unknown> | undefined;
    if (!row) report(conventionId, 'rm_balances', ['missing']);
    else {
      const flat = new Map([...moneyLeaves(expected)].map(([leaf, value]) => [leaf.replace(/[^a-z]/gi, '').toLowerCase(), value]));
      flat.set('status', expected.status);
      for (const [column, value] of Object.entries(row)) {
        const key = column.replace(/[^a-z]/gi, '').toLowerCase();
        if (flat.has(key) && String(value) !== flat.get(key)) report(conventionId, 'rm_balances', [`${column}: ${JSON.stringify(value)} ≠ ${JSON.stringify(flat.get(key))} (expected)`]);
      }
      if ('expenses_count' in row) report(conventionId, 'rm_balances', differences(Number(row.expenses_count), state.expenses.size, 'expenses_count'));
      if ('statements_count' in row) report(conventionId, 'rm_balances', differences(Number(row.statements_count), state.statements.length, 'statements_count'));
    }
    const trancheRows = await db.selectFrom('rm_balance_tranches').select(['number', 'amount', 'status', 'paid'])
      .where('convention_id', '=', conventionId).orderBy('number').execute();
    report(conventionId, 'rm_balance_tranches', differences(trancheRows, expected.tranches));

    const conventionExpected = expectedConvention(state);
    report(conventionId, 'convention', differences(projectOnto(await queries.getConvention(conventionId), conventionExpected), conventionExpected));
    const expensesExpected = expectedExpenses(state);
    report(conventionId, 'expenses', differences(projectOnto(await queries.listExpenses(conventionId), expensesExpected), expensesExpected));
    const statementsExpected = expectedStatements(state);
    report(conventionId, 'statements', differences(projectOnto(await queries.listStatements(conventionId), statementsExpected), statementsExpected));

    for (const asOf of comparisonDates(state, events, rng)) {
      report(conventionId, `balance as of ${asOf}`, differences(await queries.getBalance(conventionId, asOf), expectedBalance(state, asOf)));
      const expenses = expectedExpenses(state, asOf);
      report(conventionId, `expenses as of ${asOf}`, differences(projectOnto(await queries.listExpenses(conventionId, asOf), expenses), expenses));
      const statements = expectedStatements(state, asOf);
      report(conventionId, `statements as of ${asOf}`, differences(projectOnto(await queries.listStatements(conventionId, asOf), statements), statements));
    }
  }

  // Stats: counts by status, and every money total the sum of the same balance field over all conventions.
  const stats = await queries.getStats() as unknown as Record<string, unknown>;
  const byStatus = { draft: 0, active: 0, closed: 0, terminated: 0, settled: 0 };
  for (const b of balances) byStatus[b.status] += 1;
  const counts = {
    conventions: { total: balances.length, byStatus },
    expenses: [...scenario.conventions.values()].reduce((n, c) => n + c.state.expenses.size, 0),
    statements: [...scenario.conventions.values()].reduce((n, c) => n + c.state.statements.length, 0),
  };
  report('*', 'stats', differences(projectOnto(stats, counts), counts));
  const leaves = balances.map((b) => moneyLeaves(b));
  const totals = moneyLeaves(stats);
  for (const required of ['ceiling', 'committed', 'consumed', 'rejected', 'called', 'due', 'received', 'outstanding', 'restitution.due', 'restitution.paid', 'restitution.outstanding']) {
    if (!totals.has(required)) report('*', 'stats', [`${required}: missing`]);
  }
  for (const [leaf, value] of totals) {
    if (!leaves.some((l) => l.has(leaf))) {
      report('*', 'stats', [`${leaf}: ${value}, but no balance has a field ${leaf} to sum`]);
      continue;
    }
    const expected = sum(leaves.map((l) => money(l.get(leaf) ?? '0.00'))).toFixed(2);
    if (value !== expected) report('*', 'stats', [`${leaf}: ${value} ≠ ${expected} (expected, the sum over the conventions)`]);
  }
  return found;
}

describe('write side and read side agree on random ledgers (model-based)', () => {
  it.each(SEEDS)('scenario seed %i', async (seed) => {
    const scenario = generateScenario(seed);
    const replay = `seed ${seed} (replay: MODEL_SEED=${seed} bash scripts/with-postgres.sh npx jest test/model-based)`;
    // The scenario must exercise the ledger, not only its refusals.
    expect({ seed, crashes: scenario.crashes }).toEqual({ seed, crashes: [] });
    const problem = acceptanceProblem(scenario);
    if (problem) throw new Error(problem);

    const env = await openEnvironment();
    try {
      await append(env.store, scenario);
      await project(env, new Random(seed ^ 0x5eed));
      const discrepancies: string[] = [];
      for (const dialect of env.dialects) discrepancies.push(...await compare(dialect, scenario, new Random(seed)));
      if (discrepancies.length > 0) {
        throw new Error(`${replay}: ${discrepancies.length} discrepancies (first ones)\n${discrepancies.slice(0, 60).join('\n')}`);
      }
    } finally {
      await env.close();
    }
  });

  describe('rebuild', () => {
    let env: Environment;
    const rebuildSeeds = replaySeeds() ?? MODEL_BASED_FIXED_SEEDS.slice(0, 6);

    /** Scenarios appended and projected one after the other: the projector resumes from its checkpoint over a growing log. */
    beforeAll(async () => {
      env = await openEnvironment();
      for (const seed of rebuildSeeds) {
        await append(env.store, generateScenario(seed));
        await project(env, new Random(seed ^ 0x5eed));
      }
    });

    afterAll(async () => {
      await env?.close();
    });

    it('rebuilding from zero gives the incremental read models, and both dialects hold the same rows', async () => {
      expect(env.dialects.map((dialect) => dialect.name)).toEqual(['sqlite', 'postgres']);
      const incremental = [];
      for (const dialect of env.dialects) {
        const before = await dumpReadModels(dialect.readModels.db);
        const eventsProjected = Number(before.rm_stats.find((row) => row.indicator === 'events')!.value);
        expect(eventsProjected).toBeGreaterThan(0);
        incremental.push(before);
        const progress = await new Projector(env.store, dialect.readModels.db, { batchSize: 333 }).rebuild();
        expect(progress.eventsDone).toBe(eventsProjected);
        expect(await dumpReadModels(dialect.readModels.db)).toEqual(before);
      }
      expect(incremental[1]).toEqual(incremental[0]);
    });
  });

  it('the fixed seeds cover every event type and the paths the floors ask for', () => {
    if (replaySeeds()) return; // one replayed seed cannot cover everything
    const scenarios = MODEL_BASED_FIXED_SEEDS.map((seed) => generateScenario(seed));
    expect(coverageShortfalls(coverageOf(scenarios))).toEqual([]);
    const states = scenarios.flatMap((s) => [...s.conventions.values()].map((c) => c.state));
    expect({
      active: states.some((s) => s.status === 'active'), closed: states.some((s) => s.closure !== undefined),
      terminated: states.some((s) => s.termination !== undefined), settled: states.some((s) => s.status === 'settled'),
      closedThenSettled: states.some((s) => s.closure && s.status === 'settled' && s.restitutions.length > 0),
      terminatedThenSettled: states.some((s) => s.termination && s.status === 'settled'),
    }).toEqual({ active: true, closed: true, terminated: true, settled: true, closedThenSettled: true, terminatedThenSettled: true });
  });
});
