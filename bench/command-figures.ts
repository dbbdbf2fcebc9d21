/**
 * command and growth: the executor (load, fold, decide, append) against the embedded store's
 * own one-event durable append, in the same run and at the same durability (WAL, synchronous
 * FULL: the store's only mode). The raw append rate is also the limit of http_vs_raw.
 */
import { randomUUID } from 'node:crypto';
import * as path from 'node:path';
import { conventionStream, decide, fold, money, upcast, type ConventionCommand } from '@cl/domain';
import { SqliteEventStore, type NewEvent } from '@cl/event-store';
import { ConventionCommandExecutor, type CommandContext } from '../apps/api/src/conventions/application/convention-command.executor';
import { systemClock } from '../apps/api/src/infrastructure/clock';
import { SEED_BENEFICIARY, SEED_FUNDER, seedRegistration } from '../libs/domain/testing/seed-convention';
import { figure, progress, type Figure } from './reporter';
import { scaled } from './scale';

// One principal acting for every party: the conventions name its organisation as funder and as
// beneficiary, so the access policy lets it send every command.
const context: CommandContext = { actor: { subject: 'bench', roles: ['funder', 'beneficiary', 'public-accountant'], organisation: 'bench' }, requestId: 'bench', correlationId: 'bench' };
const BENCH_PARTIES = {
  funder: { ...SEED_FUNDER, organisation: 'bench' },
  beneficiary: { name: SEED_BENEFICIARY.name, representative: SEED_BENEFICIARY.representative, organisation: 'bench', bankAccount: SEED_BENEFICIARY.bankAccount },
};
/** Commands per convention in the `command` figure: streams stay short, so growth does not weigh on it. */
const COMMANDS_PER_CONVENTION = 20;
const SHORT_STREAM = 10;
const LONG_STREAM = 10_000;

const seconds = (start: bigint) => Number(process.hrtime.bigint() - start) / 1e9;
const median = (samples: number[]) => [...samples].sort((a, b) => a - b)[Math.floor(samples.length / 2)];

const commitExpense = (): ConventionCommand => ({ type: 'CommitExpense', expenseId: randomUUID(), category: 'devops', description: 'bench', amount: money('0.01'), committedOn: '2020-06-01' });

/** Commands (and raw appends) timed in turn, so that both meet the same disk: its fsync speed drifts within a minute. */
const ROUND = 250;

/** One durable one-event append to `stream`, at its next revision: the store's limit for one command. */
async function rawAppend(store: SqliteEventStore, revisions: Map<string, number>, stream: string): Promise<void> {
  const event: NewEvent = {
    id: randomUUID(), type: 'BenchEvent', data: { expenseId: randomUUID(), amount: '0.01', committedOn: '2020-06-01' },
    metadata: { actor: context.actor, recordedAt: new Date().toISOString(), requestId: 'bench', correlationId: 'bench', causationId: 'bench', schemaVersion: 1 },
  };
  const result = await store.appendToStream(stream, [event], revisions.get(stream) ?? 'no_stream');
  revisions.set(stream, result.nextExpectedRevision);
}

async function signedConvention(executor: ConventionCommandExecutor): Promise<string> {
  const id = randomUUID();
  await executor.execute(id, seedRegistration(id, { reference: `BENCH-${id}`, ...BENCH_PARTIES }), context);
  await executor.execute(id, { type: 'SignConvention', party: 'funder', signatory: 'F', signedOn: '2020-05-11' }, context);
  await executor.execute(id, { type: 'SignConvention', party: 'beneficiary', signatory: 'B', signedOn: '2020-05-11' }, context);
  return id;
}

/**
 * Sequential one-event commands (an expense committed) over conventions prepared beforehand, and
 * as many raw one-event appends, each to its own short stream in turn, timed in alternating rounds.
 */
async function commandsAndRawAppendsPerSecond(store: SqliteEventStore, executor: ConventionCommandExecutor, count: number): Promise<{ commands: number; raw: number }> {
  const conventions: string[] = [];
  for (let i = 0; i < Math.ceil(count / COMMANDS_PER_CONVENTION); i++) conventions.push(await signedConvention(executor));
  const revisions = new Map<string, number>();
  const elapsed = { commands: 0, raw: 0 };
  for (let first = 0; first < count; first += ROUND) {
    const last = Math.min(count, first + ROUND);
    let start = process.hrtime.bigint();
    for (let i = first; i < last; i++) await rawAppend(store, revisions, `bench-raw-${Math.floor(i / COMMANDS_PER_CONVENTION)}`);
    elapsed.raw += seconds(start);
    start = process.hrtime.bigint();
    for (let i = first; i < last; i++) {
      const outcome = await executor.execute(conventions[Math.floor(i / COMMANDS_PER_CONVENTION)], commitExpense(), { ...context, requestId: randomUUID() });
      if (outcome.events.length !== 1) throw new Error(`bench: a command recorded ${outcome.events.length} events, expected 1`);
    }
    elapsed.commands += seconds(start);
  }
  return { commands: count / elapsed.commands, raw: count / elapsed.raw };
}

/**
 * Pads a signed convention's stream to `length` events with expenses through their four steps
 * (committed, service done, paid, accepted), as a real convention's history mostly is, appended
 * straight through the port: the events decide() gives for one expense, under a new id for each.
 */
async function padStream(store: SqliteEventStore, id: string, length: number): Promise<void> {
  const streamId = conventionStream(id);
  const history = await store.readStream(streamId);
  let state = fold(history.map((e) => upcast({ type: e.type, data: e.data, schemaVersion: e.metadata.schemaVersion })));
  const commit = commitExpense();
  const expenseId = (commit as { expenseId: string }).expenseId;
  const steps: ConventionCommand[] = [
    commit,
    { type: 'RecordServiceDone', expenseId, on: '2020-06-02' },
    { type: 'RecordExpensePayment', expenseId, paidOn: '2020-06-03' },
    { type: 'AcceptExpense', expenseId, on: '2020-06-04' },
  ];
  const lifecycle = steps.flatMap((command) => {
    const decided = decide(command, state, { today: '2026-01-01' });
    state = fold(decided, state);
    return decided;
  });
  let revision = history.length - 1;
  let current = expenseId;
  let step = 0;
  while (revision + 1 < length) {
    const chunk: NewEvent[] = Array.from({ length: Math.min(500, length - revision - 1) }, () => {
      const template = lifecycle[step++ % lifecycle.length];
      if (step % lifecycle.length === 1) current = randomUUID();
      return {
        id: randomUUID(), type: template.type, data: { ...(template.data as unknown as Record<string, unknown>), expenseId: current },
        metadata: { actor: context.actor, recordedAt: new Date().toISOString(), requestId: 'bench', correlationId: 'bench', causationId: 'bench', schemaVersion: template.schemaVersion },
      };
    });
    revision = (await store.appendToStream(streamId, chunk, revision)).nextExpectedRevision;
  }
}

/** Median latency, in ms, of `samples` one-event commands on a stream of about `length` events. */
async function latencyAt(store: SqliteEventStore, executor: ConventionCommandExecutor, length: number, samples: number): Promise<number> {
  const id = await signedConvention(executor);
  await padStream(store, id, length);
  const latencies: number[] = [];
  for (let i = 0; i < samples; i++) {
    const start = process.hrtime.bigint();
    await executor.execute(id, commitExpense(), { ...context, requestId: randomUUID() });
    latencies.push(seconds(start) * 1000);
  }
  return median(latencies);
}

export interface CommandFigures {
  figures: Record<string, Figure>;
  rawAppendsPerSecond: number;
}

export async function commandFigures(dir: string, scale: number): Promise<CommandFigures> {
  const store = new SqliteEventStore(path.join(dir, 'command-store.sqlite'));
  try {
    const executor = new ConventionCommandExecutor(store, systemClock);
    const appends = scaled(5_000, scale, 50);
    progress(`command: ${appends} sequential commands through the executor and ${appends} raw one-event durable appends, in rounds of ${ROUND}`);
    const { commands, raw } = await commandsAndRawAppendsPerSecond(store, executor, appends);
    progress(`command: ${Math.round(commands)} commands/s, raw ${Math.round(raw)} appends/s`);

    const longStream = scaled(LONG_STREAM, scale, 100);
    const samples = scaled(200, scale, 10);
    progress(`growth: ${samples} commands on a stream of ${SHORT_STREAM} events, then on one of ${longStream}`);
    const short = await latencyAt(store, executor, SHORT_STREAM, samples);
    const long = await latencyAt(store, executor, longStream, samples);
    progress(`growth: ${short.toFixed(2)} ms at ${SHORT_STREAM} events, ${long.toFixed(2)} ms at ${longStream}`);
    return {
      rawAppendsPerSecond: raw,
      figures: {
        command: figure(commands, 'commands/s', raw, `${appends} sequential one-event commands; limit: one-event durable appends`),
        growth: figure(long, 'ms', short, `median command latency at ${longStream} events; limit: at ${SHORT_STREAM} events`),
      },
    };
  } finally {
    await store.close();
  }
}
