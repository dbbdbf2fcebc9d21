import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { conventionStream, money, type ConventionCommand } from '@cl/domain';
import { SqliteEventStore, type EventStore, type ReadStreamOptions } from '@cl/event-store';
import { seedRegistration, seedSignatures } from '../../../../../libs/domain/testing/seed-convention';
import type { ChildStep } from '../../../../../test/support/executor-child';
import type { Actor } from '../../auth/roles';
import type { Clock } from '../../infrastructure/clock';
import type { StreamCacheLimits } from '@cl/config';
import { ConventionCommandExecutor, type CommandContext } from './convention-command.executor';

/**
 * The executor keeps each stream's folded state between commands, decides on it first without
 * reading, and reads only what was appended after it when the append conflicts or the decision
 * is a refusal (docs/performance.md, "Command path"). These tests prove that nothing is recorded
 * or refused on a stale state, whoever appended meanwhile.
 */
const ROOT = path.resolve(__dirname, '../../../../..');
const clock: Clock = { now: () => new Date('2026-11-28T10:00:00.000Z') };
const DINUM_BENEFICIARY: Actor = { subject: 'dinum-finance', roles: ['beneficiary'], organisation: '120027016' };
const ANCT_FUNDER: Actor = { subject: 'anct-finance', roles: ['funder'], organisation: '130026032' };
const context = (requestId: string, idempotencyKey?: string, actor: Actor = DINUM_BENEFICIARY): CommandContext => ({
  actor, requestId, correlationId: `corr-${requestId}`, ...(idempotencyKey ? { idempotencyKey } : {}),
});
const commit = (expenseId: string, amount = '10.00'): ConventionCommand => ({
  type: 'CommitExpense', expenseId, category: 'devops', description: expenseId, amount: money(amount), committedOn: '2020-06-01',
});
const SEED_CEILING = money('1600000.00');

/** A real store whose stream reads are listed (whole stream or from which revision), with a hook after the next one. */
function watched(store: SqliteEventStore) {
  const reads: string[] = [];
  let afterNextRead: (() => Promise<void>) | undefined;
  const port: EventStore = {
    appendToStream: (...args) => store.appendToStream(...args),
    readStream: async (streamId: string, options?: ReadStreamOptions) => {
      reads.push(options?.fromRevision === undefined ? 'whole' : `from ${options.fromRevision}`);
      const read = await store.readStream(streamId, options);
      const hook = afterNextRead;
      afterNextRead = undefined;
      await hook?.();
      return read;
    },
    readAll: (options) => store.readAll(options),
    readAllForProjection: (options) => store.readAllForProjection(options),
    subscribeToAll: (options) => store.subscribeToAll(options),
    headPosition: () => store.headPosition(),
    isReady: () => store.isReady(),
    close: () => store.close(),
  };
  return { port, reads, afterNextRead: (hook: () => Promise<void>) => (afterNextRead = hook) };
}

describe('ConventionCommandExecutor: the folded state it keeps per stream', () => {
  let dir: string;
  let file: string;
  let stores: SqliteEventStore[];

  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'executor-cache-'));
    file = path.join(dir, 'events.sqlite');
    stores = [];
  });
  afterEach(async () => {
    await Promise.all(stores.map((s) => s.close()));
    fs.rmSync(dir, { recursive: true, force: true });
  });
  const open = () => {
    const store = new SqliteEventStore(file);
    stores.push(store);
    return store;
  };
  const executorOn = (limits?: StreamCacheLimits) => {
    const store = watched(open());
    return { ...store, executor: new ConventionCommandExecutor(store.port, clock, limits) };
  };
  const lengthOf = async (id: string) => (await stores[0].readStream(conventionStream(id))).length;

  async function registeredAndSigned(executor: ConventionCommandExecutor, id: string) {
    await executor.execute(id, seedRegistration(id), context('register', undefined, ANCT_FUNDER));
    for (const [i, signature] of seedSignatures().entries()) {
      await executor.execute(id, signature, context(`sign-${i}`, undefined, signature.party === 'funder' ? ANCT_FUNDER : DINUM_BENEFICIARY));
    }
  }

  it('after another process appended, the next command decides on what it appended: a step it took, the ceiling it used up, a key it used', async () => {
    const { executor, reads } = executorOn();
    await registeredAndSigned(executor, 'c1');
    await executor.execute('c1', commit('e1'), context('commit-e1'));

    const steps: ChildStep[] = [
      { conventionId: 'c1', command: { type: 'RecordServiceDone', expenseId: 'e1', on: '2020-06-02' }, context: context('child-done', 'child-key') },
      { conventionId: 'c1', command: { type: 'CommitExpense', expenseId: 'e-rest', category: 'devops', description: 'the rest', amount: SEED_CEILING.minus('10.00').toFixed(2), committedOn: '2020-06-01' }, context: context('child-rest') },
    ];
    const { stdout } = await promisify(execFile)(process.execPath, [
      '-r', 'ts-node/register/transpile-only', '-r', 'tsconfig-paths/register', path.join(ROOT, 'test/support/executor-child.ts'), file, JSON.stringify(steps),
    ], { cwd: ROOT, env: { ...process.env, TS_NODE_PROJECT: path.join(ROOT, 'tsconfig.json') } });
    const [serviceDone] = stdout.trim().split('\n').map((line) => JSON.parse(line) as { position?: number; code?: string });
    expect(serviceDone.position).toBeGreaterThan(0);
    const lengthAfterChild = await lengthOf('c1');

    reads.length = 0;
    // On the state before the child's appends this would be EXPENSE_STEP_OUT_OF_ORDER (e1 only committed).
    const paid = await executor.execute('c1', { type: 'RecordExpensePayment', expenseId: 'e1', paidOn: '2020-06-03' }, context('pay-e1'));
    expect(paid.events).toEqual([expect.objectContaining({ type: 'ExpensePaid' })]);
    expect((await stores[0].readStream(conventionStream('c1'))).at(-1)).toMatchObject({ type: 'ExpensePaid', revision: lengthAfterChild });
    await expect(executor.execute('c1', commit('e2', '0.01'), context('commit-e2'))).rejects.toMatchObject({ code: 'CEILING_EXCEEDED' });
    // The child's request again under its key: its answer, from the facts the child recorded.
    const replay = await executor.execute('c1', { type: 'RecordServiceDone', expenseId: 'e1', on: '2020-06-02' }, context('child-done-again', 'child-key'));
    expect({ position: replay.position, types: replay.events.map((e) => e.type) }).toEqual({ position: serviceDone.position, types: ['ExpenseServiceDone'] });
    // Each command first decided on the kept state without reading: the payment's refusal there
    // (EXPENSE_STEP_OUT_OF_ORDER) and the ceiling's were decided again after reading the events
    // from the kept state's last one on (commit-e1's, then the payment's); the replay reads the whole stream.
    expect(reads).toEqual([`from ${lengthAfterChild - 3}`, `from ${lengthAfterChild}`, 'whole']);
  });

  it('a kept state others moved past is never decided on: its append conflicts and the tail is read; a conflict after that read drops it and the whole stream is read', async () => {
    const a = executorOn();
    const b = executorOn();
    await registeredAndSigned(a.executor, 'c2');
    await a.executor.execute('c2', commit('e1'), context('commit-e1'));
    const keptRevision = (await lengthOf('c2')) - 1;
    // b appends after the state a keeps, then again between a's read of that and a's next append.
    await b.executor.execute('c2', commit('e2'), context('b-commit-e2'));
    a.afterNextRead(async () => {
      await b.executor.execute('c2', commit('e3'), context('b-commit-e3'));
    });
    a.reads.length = 0;
    // On the kept state (e1 only), then on the one read (e1, e2), e3 would be a new expense.
    await expect(a.executor.execute('c2', commit('e3'), context('a-commit-e3'))).rejects.toMatchObject({ code: 'EXPENSE_ALREADY_EXISTS' });
    expect(a.reads).toEqual([`from ${keptRevision}`, 'whole']);
    const committed = (await stores[0].readStream(conventionStream('c2'))).filter((e) => e.type === 'ExpenseCommitted');
    expect(committed.map((e) => [e.data.expenseId, e.metadata.requestId])).toEqual([['e1', 'commit-e1'], ['e2', 'b-commit-e2'], ['e3', 'b-commit-e3']]);
    // Kept again after the reload, with what a appends: its next command reads nothing.
    await a.executor.execute('c2', commit('e4'), context('a-commit-e4'));
    expect(a.reads).toEqual([`from ${keptRevision}`, 'whole']);
    expect((await stores[0].readStream(conventionStream('c2'))).at(-1)).toMatchObject({ type: 'ExpenseCommitted', revision: keptRevision + 3, data: { expenseId: 'e4' } });
  });

  it('streams forgotten past the limits are read whole again and decided on correctly; the states it returned never change', async () => {
    const { executor, reads } = executorOn({ streams: 1, events: 8 });
    await registeredAndSigned(executor, 'c3');
    await registeredAndSigned(executor, 'c4');
    reads.length = 0;
    // One stream at most: each convention pushes the other out.
    const first = await executor.execute('c3', commit('e1'), context('c3-e1'));
    const firstState = JSON.stringify(first.state, (_key, value) => (value instanceof Map ? [...value.entries()] : value));
    await executor.execute('c4', commit('e1'), context('c4-e1'));
    await executor.execute('c3', commit('e2'), context('c3-e2'));
    // Kept from here on (with what it appends), while c3 folds at most 8 events: decided on
    // without reading, but a refusal only after reading what came after the kept state.
    await executor.execute('c3', commit('e3'), context('c3-e3'));
    await expect(executor.execute('c3', commit('e1'), context('c3-e1-again'))).rejects.toMatchObject({ code: 'EXPENSE_ALREADY_EXISTS' });
    // Folding a 9th event: too heavy to keep, then read whole again.
    await executor.execute('c3', commit('e4'), context('c3-e4'));
    await executor.execute('c3', commit('e5'), context('c3-e5'));
    await executor.execute('c4', commit('e2'), context('c4-e2'));
    expect(reads).toEqual(['whole', 'whole', 'whole', 'from 7', 'whole', 'whole']);
    const expenses = async (id: string) => (await stores[0].readStream(conventionStream(id))).filter((e) => e.type === 'ExpenseCommitted').map((e) => e.data.expenseId);
    expect([await expenses('c3'), await expenses('c4')]).toEqual([['e1', 'e2', 'e3', 'e4', 'e5'], ['e1', 'e2']]);
    expect(JSON.stringify(first.state, (_key, value) => (value instanceof Map ? [...value.entries()] : value))).toBe(firstState);
  });
});
