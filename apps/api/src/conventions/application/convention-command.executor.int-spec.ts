import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { conventionStream, DomainError, money } from '@cl/domain';
import { eventHashOf, SqliteEventStore } from '@cl/event-store';
import { seedRegistration, seedSignatures } from '../../../../../libs/domain/testing/seed-convention';
import type { Clock } from '../../infrastructure/clock';
import { ForbiddenOrganisationError, ForbiddenPartyError } from '../../auth/auth.errors';
import type { Actor } from '../../auth/roles';
import { ConventionCommandExecutor, type CommandContext } from './convention-command.executor';

const clock: Clock = { now: () => new Date('2026-11-28T10:00:00.000Z') };
// The seed's parties (docs/examples/seed-convention.json): ANCT funds DINUM.
const DINUM_BENEFICIARY: Actor = { subject: 'dinum-finance', roles: ['beneficiary'], organisation: '120027016' };
const ANCT_FUNDER: Actor = { subject: 'anct-finance', roles: ['funder'], organisation: '130026032' };
const context = (requestId: string, idempotencyKey?: string, actor: Actor = DINUM_BENEFICIARY): CommandContext => ({
  actor, requestId, correlationId: `corr-${requestId}`, idempotencyKey,
});
const asFunder = (requestId: string, idempotencyKey?: string) => context(requestId, idempotencyKey, ANCT_FUNDER);
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
    await executor.execute(id, seedRegistration(id), asFunder('register'));
    for (const [i, signature] of seedSignatures().entries()) {
      await executor.execute(id, signature, signature.party === 'funder' ? asFunder(`sign-${i}`) : context(`sign-${i}`));
    }
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
    const [before, last] = await store.readStream(conventionStream('c2'), { direction: 'backwards', maxCount: 2 }).then((read) => read.reverse());
    expect(last.metadata).toEqual({
      actor: { subject: 'dinum-finance', roles: ['beneficiary'], organisation: '120027016' }, recordedAt: '2026-11-28T10:00:00.000Z',
      requestId: 'req-42', correlationId: 'corr-req-42', causationId: 'req-42', idempotencyKey: 'key-42', schemaVersion: 1,
      // The store's hash chain (docs/event-store.md): linked to the event before, sealing this one.
      previousHash: before.metadata.hash, hash: eventHashOf(last),
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

  it('records the request fingerprint with the key; the key with another fingerprint is a 422 IDEMPOTENCY_KEY_REUSED, nothing recorded; facts without one match on the key alone', async () => {
    const store = open();
    const executor = new ConventionCommandExecutor(store, clock);
    await registeredAndSigned(executor, 'c5');
    const withFingerprint = (requestId: string, requestFingerprint: string) => ({ ...context(requestId, 'key-5'), requestFingerprint });
    const first = await executor.execute('c5', commit('e-5'), withFingerprint('first', 'fp-small'));
    expect((await store.readStream(conventionStream('c5'))).at(-1)?.metadata).toMatchObject({ idempotencyKey: 'key-5', requestFingerprint: 'fp-small' });
    // The same request again: its answer, from the facts.
    await expect(executor.execute('c5', commit('e-5'), withFingerprint('again', 'fp-small'))).resolves.toMatchObject({ position: first.position, events: first.events });
    // The same key for another request (another body, or another command): refused, nothing recorded.
    const before = (await store.readStream(conventionStream('c5'))).length;
    await expect(executor.execute('c5', commit('e-5'), withFingerprint('other', 'fp-large'))).rejects.toMatchObject({ statusCode: 422, code: 'IDEMPOTENCY_KEY_REUSED' });
    expect(await store.readStream(conventionStream('c5'))).toHaveLength(before);
    // Facts recorded before fingerprints existed carry none: the key and principal alone, as before.
    await executor.execute('c5', commit('e-legacy'), context('legacy', 'key-legacy'));
    await expect(executor.execute('c5', commit('e-legacy'), { ...context('legacy-retry', 'key-legacy'), requestFingerprint: 'fp-any' }))
      .resolves.toMatchObject({ events: [expect.objectContaining({ type: 'ExpenseCommitted', data: expect.objectContaining({ expenseId: 'e-legacy' }) })] });
    expect(await store.readStream(conventionStream('c5'))).toHaveLength(before + 1);
  });

  it('M4: decides with today in Europe/Paris from the injected clock (23:30 UTC on 30 November is 1 December there)', async () => {
    const lateEvening: Clock = { now: () => new Date('2026-11-30T23:30:00.000Z') };
    const executor = new ConventionCommandExecutor(open(), lateEvening);
    await executor.execute('c5', seedRegistration('c5'), asFunder('register'));
    const sign = (signedOn: string) => ({ type: 'SignConvention' as const, party: 'funder' as const, signatory: 'Yves Le Breton', signedOn });
    const tomorrow = await executor.execute('c5', sign('2026-12-02'), asFunder('too-early')).catch((e: unknown) => e);
    expect(tomorrow).toBeInstanceOf(DomainError);
    expect(tomorrow).toMatchObject({ kind: 'rule', code: 'DATE_IN_FUTURE', details: { today: '2026-12-01' } });
    await expect(executor.execute('c5', sign('2026-12-01'), asFunder('today-in-paris'))).resolves.toMatchObject({
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

  describe('who may act (auth/access-policy.ts), before anything is decided', () => {
    const OTHER_FUNDER: Actor = { subject: 'other-finance', roles: ['funder'], organisation: '130025265' };
    const refusalOf = (promise: Promise<unknown>) => promise.then(() => 'recorded', (error: unknown) => error);

    it('a principal of another organisation gets the unknown convention\'s 404, even where the domain would refuse with a 422, and nothing is recorded', async () => {
      const store = open();
      const executor = new ConventionCommandExecutor(store, clock);
      await registeredAndSigned(executor, 'c6');
      const length = (await store.readStream(conventionStream('c6'))).length;
      const unknown = await refusalOf(executor.execute('nobody', { type: 'PayTranche', paymentId: 'p1', tranche: 1, amount: money('1.00'), paidOn: '2099-12-31' }, context('x', undefined, OTHER_FUNDER)));
      for (const paidOn of ['2020-05-20', '2099-12-31']) { // a payment the funder could record, and one in the future (M4: 422 DATE_IN_FUTURE for the funder)
        const hidden = await refusalOf(executor.execute('c6', { type: 'PayTranche', paymentId: 'p1', tranche: 1, amount: money('1.00'), paidOn }, context('x', undefined, OTHER_FUNDER)));
        expect(hidden).toBeInstanceOf(DomainError);
        expect(hidden).toMatchObject({ kind: 'not-found', code: 'CONVENTION_NOT_FOUND', message: (unknown as DomainError).message });
      }
      // Unknown: the same 404, the policy answering before M4 (a future date is no longer a way to probe for ids).
      expect(unknown).toMatchObject({ kind: 'not-found', code: 'CONVENTION_NOT_FOUND' });
      expect(await store.readStream(conventionStream('c6'))).toHaveLength(length);
      await expect(executor.execute('c6', { type: 'PayTranche', paymentId: 'p1', tranche: 1, amount: money('1.00'), paidOn: '2020-05-20' }, asFunder('pay')))
        .resolves.toMatchObject({ events: [expect.objectContaining({ type: 'TranchePaid' })] });
    });

    it('a principal who sees the convention but whose role does not act for the party concerned: 403, nothing recorded', async () => {
      const store = open();
      const executor = new ConventionCommandExecutor(store, clock);
      await executor.execute('c7', seedRegistration('c7'), asFunder('register'));
      const both: Actor = { subject: 'double', roles: ['funder', 'beneficiary'], organisation: '130026032' };
      const refused = await refusalOf(executor.execute('c7', seedSignatures()[1], context('sign', undefined, both)));
      expect(refused).toBeInstanceOf(ForbiddenPartyError);
      expect(await store.readStream(conventionStream('c7'))).toHaveLength(1);
    });

    it('a registration in another organisation\'s name is a 403 and creates no stream', async () => {
      const store = open();
      const executor = new ConventionCommandExecutor(store, clock);
      expect(await refusalOf(executor.execute('c8', seedRegistration('c8'), context('register', undefined, OTHER_FUNDER)))).toBeInstanceOf(ForbiddenOrganisationError);
      expect(await store.readStream(conventionStream('c8'))).toEqual([]);
    });

    it('an Idempotency-Key is the principal\'s: the same subject in another organisation gets no replay of what was recorded', async () => {
      const store = open();
      const executor = new ConventionCommandExecutor(store, clock);
      await registeredAndSigned(executor, 'c9');
      await executor.execute('c9', commit('e-mine'), context('mine', 'shared-key'));
      // The same subject configured in another organisation (the beneficiary of nothing here).
      const elsewhere: Actor = { ...DINUM_BENEFICIARY, organisation: '110046018' };
      expect(await refusalOf(executor.execute('c9', commit('e-mine'), context('theirs', 'shared-key', elsewhere)))).toMatchObject({ code: 'CONVENTION_NOT_FOUND' });
      // The same subject in the funder's organisation, under the same key on the same convention:
      // its own command, decided anew (a subject-only match would have replayed the expense).
      const sameSubjectAsFunder: Actor = { subject: DINUM_BENEFICIARY.subject, roles: ['funder'], organisation: '130026032' };
      const paid = await executor.execute('c9', { type: 'PayTranche', paymentId: 'p-theirs', tranche: 1, amount: money('1.00'), paidOn: '2020-05-20' },
        context('theirs-funder', 'shared-key', sameSubjectAsFunder));
      expect(paid.events).toEqual([expect.objectContaining({ type: 'TranchePaid' })]);
    });
  });
});
