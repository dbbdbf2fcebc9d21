/**
 * Benchmarks (`npm run bench`): speed goals are measured here, never by timed tests.
 * Each figure is printed with its workload so that runs can be compared across changes.
 */
import 'reflect-metadata';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { randomUUID } from 'node:crypto';
import { money, type ConventionCommand } from '@cl/domain';
import { SqliteEventStore, type NewEvent } from '@cl/event-store';
import { createReadModelDb, Projector, ReadModelQueries } from '@cl/read-models';
import { ConventionCommandExecutor, type CommandContext } from '../apps/api/src/conventions/application/convention-command.executor';
import { systemClock } from '../apps/api/src/infrastructure/clock';
import { seedRegistration } from '../libs/domain/testing/seed-convention';

const CONVENTIONS = Number(process.env.BENCH_CONVENTIONS ?? 40);
const EXPENSES_PER_CONVENTION = Number(process.env.BENCH_EXPENSES ?? 25);
const RAW_APPENDS = Number(process.env.BENCH_APPENDS ?? 5000);
const READS = Number(process.env.BENCH_READS ?? 2000);

const context: CommandContext = { actor: { subject: 'bench', roles: ['funder', 'beneficiary', 'public-accountant'], organisation: 'bench' }, requestId: 'bench', correlationId: 'bench' };

function report(name: string, count: number, unit: string, ms: number): void {
  const rate = (count / ms) * 1000;
  console.log(`${name.padEnd(44)} ${String(count).padStart(7)} ${unit.padEnd(8)} ${ms.toFixed(0).padStart(7)} ms ${rate.toFixed(0).padStart(8)} ${unit}/s`);
}

async function timed<T>(work: () => Promise<T>): Promise<[T, number]> {
  const start = process.hrtime.bigint();
  const result = await work();
  return [result, Number(process.hrtime.bigint() - start) / 1e6];
}

async function benchRawAppends(dir: string): Promise<void> {
  const store = new SqliteEventStore(path.join(dir, 'raw.sqlite'));
  const revisions = new Map<string, number>();
  const [, ms] = await timed(async () => {
    for (let i = 0; i < RAW_APPENDS; i++) {
      const stream = `bench-${i % 100}`;
      const expected = revisions.get(stream) ?? 'no_stream';
      const event: NewEvent = {
        id: randomUUID(), type: 'BenchEvent', data: { i },
        metadata: { actor: { subject: 'bench', roles: [] }, recordedAt: new Date().toISOString(), requestId: 'b', correlationId: 'b', causationId: 'b', schemaVersion: 1 },
      };
      const result = await store.appendToStream(stream, [event], expected);
      revisions.set(stream, result.nextExpectedRevision);
    }
  });
  report('embedded store: durable single-event appends', RAW_APPENDS, 'events', ms);
  await store.close();
}

async function benchCommands(dir: string): Promise<SqliteEventStore> {
  const store = new SqliteEventStore(path.join(dir, 'ledger.sqlite'));
  const executor = new ConventionCommandExecutor(store, systemClock);
  let commands = 0;
  const run = async (id: string, command: ConventionCommand) => { await executor.execute(id, command, { ...context, requestId: randomUUID() }); commands++; };
  const [, ms] = await timed(async () => {
    await Promise.all(Array.from({ length: CONVENTIONS }, async () => {
      const id = randomUUID();
      await run(id, seedRegistration(id, { reference: `BENCH-${id}` }));
      await run(id, { type: 'SignConvention', party: 'funder', signatory: 'F', signedOn: '2020-05-11' });
      await run(id, { type: 'SignConvention', party: 'beneficiary', signatory: 'B', signedOn: '2020-05-11' });
      for (let e = 0; e < EXPENSES_PER_CONVENTION; e++) {
        const expenseId = randomUUID();
        await run(id, { type: 'CommitExpense', expenseId, category: 'devops', description: `e${e}`, amount: money('1000.10'), committedOn: '2020-06-01' });
        await run(id, { type: 'RecordServiceDone', expenseId, on: '2020-07-01' });
        await run(id, { type: 'RecordExpensePayment', expenseId, paidOn: '2020-08-01' });
        await run(id, { type: 'AcceptExpense', expenseId, on: '2020-08-15' });
      }
    }));
  });
  report(`commands (load→decide→append), ${CONVENTIONS} conventions`, commands, 'commands', ms);
  return store;
}

async function benchProjectionAndReads(dir: string, store: SqliteEventStore): Promise<void> {
  const db = createReadModelDb({ kind: 'sqlite', file: path.join(dir, 'read-models.sqlite') });
  const projector = new Projector(store, db);
  const [progress, ms] = await timed(() => projector.rebuild());
  report('projection rebuild from position 0 (SQLite)', progress.eventsDone, 'events', ms);

  const queries = new ReadModelQueries(db);
  const ids = (await queries.listConventions()).map((c) => c.id);
  const reads = READS;
  const [, readMs] = await timed(async () => {
    for (let i = 0; i < reads; i++) await queries.getBalance(ids[i % ids.length], i % 2 ? '2020-07-15' : undefined);
  });
  report(`balance queries (${EXPENSES_PER_CONVENTION} expenses each, half as-of)`, reads, 'queries', readMs);
  await db.destroy();
}

async function main(): Promise<void> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'convention-ledger-bench-'));
  try {
    console.log(`convention-ledger benchmarks — node ${process.version}, ${os.cpus().length} cpus\n`);
    await benchRawAppends(dir);
    const store = await benchCommands(dir);
    await benchProjectionAndReads(dir, store);
    await store.close();
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
