import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { conventionStream, DomainError, money } from '@cl/domain';
import { SqliteEventStore } from '@cl/event-store';
import { seedRegistration, seedSignatures } from '../../../../../libs/domain/testing/seed-convention';
import type { Clock } from '../../infrastructure/clock';
import { ConventionCommandExecutor, type CommandContext } from './convention-command.executor';

const clock: Clock = { now: () => new Date('2026-11-28T10:00:00.000Z') };
const context = (requestId: string, idempotencyKey?: string): CommandContext => ({
  actor: { subject: 'dinum-finance', roles: ['beneficiary'], organisation: '120027016' }, requestId, correlationId: `corr-${requestId}`, idempotencyKey,
});
const commit = (expenseId: string) => ({
  type: 'CommitExpense' as const, expenseId, category: 'devops', description: expenseId, amount: money('10.00'), committedOn: '2020-06-01',
});

describe('ConventionCommandExecutor on the real embedded store', () => {
  let dir: string;
  let stores: SqliteEventStore[];

  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'executor-'));
    stores = [];
  });
  afterEach(async () => {
    await Promise.all(stores.map((s) => s.close()));
    fs.rmSync(dir, { recursive: true, force: true });
  });
  const open = () => {
    const store = new SqliteEventStore(path.join(dir, 'events.sqlite'));
    stores.push(store);
    return store;
  };

  async function registeredAndSigned(executor: ConventionCommandExecutor, id: string) {
    await executor.execute(id, seedRegistration(id), context('register'));
    for (const [i, signature] of seedSignatures().entries()) await executor.execute(id, signature, context(`sign-${i}`));
  }

  it('retries on version conflicts between two writers (two processes on one file): every command is recorded once', async () => {
    const first = new ConventionCommandExecutor(open(), clock);
    const second = new ConventionCommandExecutor(open(), clock);
    await registeredAndSigned(first, 'c1');
    await Promise.all(
      Array.from({ length: 30 }, (_, i) => (i % 2 ? first : second).execute('c1', commit(`e${i}`), context(`r${i}`))),
    );
    const history = await stores[0].readStream(conventionStream('c1'));
    const committed = history.filter((e) => e.type === 'ExpenseCommitted').map((e) => e.data.expenseId).sort();
    expect(committed).toEqual(Array.from({ length: 30 }, (_, i) => `e${i}`).sort());
    expect(history.map((e) => e.revision)).toEqual(history.map((_, i) => i));
  });

  it('records who, when and on which request in every event', async () => {
    const store = open();
    const executor = new ConventionCommandExecutor(store, clock);
    await registeredAndSigned(executor, 'c2');
    await executor.execute('c2', commit('e1'), context('req-42', 'key-42'));
    const last = (await store.readStream(conventionStream('c2'), { direction: 'backwards', maxCount: 1 }))[0];
    expect(last.metadata).toEqual({
      actor: { subject: 'dinum-finance', roles: ['beneficiary'], organisation: '120027016' }, recordedAt: '2026-11-28T10:00:00.000Z',
      requestId: 'req-42', correlationId: 'corr-req-42', causationId: 'req-42', idempotencyKey: 'key-42', schemaVersion: 1,
    });
  });

  it('a command re-sent under the same Idempotency-Key reports what was recorded and records nothing new', async () => {
    const store = open();
    const executor = new ConventionCommandExecutor(store, clock);
    await registeredAndSigned(executor, 'c4');
    const first = await executor.execute('c4', commit('e-key'), context('first-try', 'key-7'));
    // Same key from another request (the first answer was lost): without this it would be EXPENSE_ALREADY_EXISTS.
    const retry = await executor.execute('c4', commit('e-key'), context('second-try', 'key-7'));
    expect(retry.position).toBe(first.position);
    expect(retry.events).toEqual(first.events);
    const history = await store.readStream(conventionStream('c4'));
    expect(history.filter((e) => e.type === 'ExpenseCommitted')).toHaveLength(1);
    // Another caller's identical key is theirs, not this one.
    const other = { ...context('other', 'key-7'), actor: { subject: 'someone-else', roles: ['beneficiary' as const], organisation: '120027016' } };
    await expect(executor.execute('c4', commit('e-other'), other)).resolves.toMatchObject({ events: [expect.objectContaining({ type: 'ExpenseCommitted' })] });
  });

  it('M4: decides with today in Europe/Paris from the injected clock (23:30 UTC on 30 November is 1 December there)', async () => {
    const lateEvening: Clock = { now: () => new Date('2026-11-30T23:30:00.000Z') };
    const executor = new ConventionCommandExecutor(open(), lateEvening);
    await executor.execute('c5', seedRegistration('c5'), context('register'));
    const sign = (signedOn: string) => ({ type: 'SignConvention' as const, party: 'funder' as const, signatory: 'Yves Le Breton', signedOn });
    const tomorrow = await executor.execute('c5', sign('2026-12-02'), context('too-early')).catch((e: unknown) => e);
    expect(tomorrow).toBeInstanceOf(DomainError);
    expect(tomorrow).toMatchObject({ kind: 'rule', code: 'DATE_IN_FUTURE', details: { today: '2026-12-01' } });
    await expect(executor.execute('c5', sign('2026-12-01'), context('today-in-paris'))).resolves.toMatchObject({
      events: [expect.objectContaining({ type: 'ConventionSigned' })],
    });
  });

  it('derives event ids from the command and the revision it expects, so a re-sent append is recognised', async () => {
    // Two stores with the same history stand for "before" and "after a lost acknowledgement".
    const [a, b] = [new SqliteEventStore(path.join(dir, 'a.sqlite')), new SqliteEventStore(path.join(dir, 'b.sqlite'))];
    stores.push(a, b);
    for (const store of [a, b]) {
      const executor = new ConventionCommandExecutor(store, clock);
      await registeredAndSigned(executor, 'c3');
      await executor.execute('c3', commit('e9'), context('same-request', 'same-key'));
    }
    const idsOf = async (store: SqliteEventStore) => (await store.readStream(conventionStream('c3'))).map((e) => e.id);
    expect(await idsOf(a)).toEqual(await idsOf(b));

    // Re-sending the recorded events at the same expected revision is a no-op.
    const recorded = await a.readStream(conventionStream('c3'));
    const last = recorded[recorded.length - 1];
    const again = await a.appendToStream(conventionStream('c3'), [{ id: last.id, type: last.type, data: last.data, metadata: last.metadata }], last.revision - 1);
    expect(again.position).toBe(last.position);
    expect(await a.readStream(conventionStream('c3'))).toHaveLength(recorded.length);
  });
});
