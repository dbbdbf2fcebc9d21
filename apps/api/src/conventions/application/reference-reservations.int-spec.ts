import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { conventionStream, type RegisterConvention } from '@cl/domain';
import { SqliteEventStore } from '@cl/event-store';
import { seedRegistration } from '../../../../../libs/domain/testing/seed-convention';
import type { Clock } from '../../infrastructure/clock';
import { ConventionCommandExecutor, type CommandContext } from './convention-command.executor';
import { REFERENCE_RESERVED, ReferenceReservations, ReferenceTakenError, referenceStream } from './reference-reservations';

const clock: Clock = { now: () => new Date('2026-11-28T10:00:00.000Z') };
const as = (subject: string, idempotencyKey?: string): CommandContext => ({
  actor: { subject, roles: ['funder'], organisation: '130026032' }, requestId: `req-${subject}-${idempotencyKey ?? 'none'}`, correlationId: 'corr', idempotencyKey,
});
const registration = (reference: string, overrides: Partial<RegisterConvention> = {}) => seedRegistration('ignored', { reference, ...overrides });
const ORGANISATION = registration('x').funder.organisation;

/** T6 on the real embedded store: what a crash between reservation and registration leaves, and who may go on. */
describe('ReferenceReservations (T6) on the real embedded store', () => {
  let dir: string;
  let stores: SqliteEventStore[];

  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'reservations-'));
    stores = [];
  });
  afterEach(async () => {
    await Promise.all(stores.map((s) => s.close()));
    fs.rmSync(dir, { recursive: true, force: true });
  });

  /** One "process": its own store handle on the shared file, its executor and its reservations. */
  const openProcess = () => {
    const store = new SqliteEventStore(path.join(dir, 'events.sqlite'));
    stores.push(store);
    return { store, reservations: new ReferenceReservations(store, clock, new ConventionCommandExecutor(store, clock)) };
  };

  /** What a crash right after the reservation leaves behind: the reservation, no convention. */
  async function crashedAfterReserving(store: SqliteEventStore, reference: string, conventionId: string) {
    await store.appendToStream(referenceStream(ORGANISATION, reference), [{
      id: '5a0f6f1e-0000-4000-8000-000000000001', type: REFERENCE_RESERVED,
      data: { conventionId, reference, funderOrganisation: ORGANISATION },
      metadata: { actor: { subject: 'anct-finance', roles: ['funder'] }, recordedAt: clock.now().toISOString(), requestId: 'r', correlationId: 'r', causationId: 'r', idempotencyKey: 'k1', schemaVersion: 1 },
    }], 'no_stream');
  }

  const registeredId = (outcome: { events: { type: string; data: unknown }[] }) =>
    (outcome.events.find((e) => e.type === 'ConventionRegistered')!.data as { conventionId: string }).conventionId;

  it('a retry under the same Idempotency-Key derives the same id and completes the registration', async () => {
    const { store, reservations } = openProcess();
    await crashedAfterReserving(store, 'ORPHAN-RETRIED', 'conv-from-key-k1');
    const outcome = await reservations.register('conv-from-key-k1', registration('ORPHAN-RETRIED'), as('anct-finance', 'k1'));
    expect(registeredId(outcome)).toBe('conv-from-key-k1');
    expect(await store.readStream(referenceStream(ORGANISATION, 'ORPHAN-RETRIED'))).toHaveLength(1);
  });

  it('an orphan reservation is adopted by the next registration, under the id it names; the original caller then gets REFERENCE_TAKEN', async () => {
    const { store, reservations } = openProcess();
    await crashedAfterReserving(store, 'ORPHAN-ADOPTED', 'conv-of-the-crashed-request');
    const adopted = await reservations.register('conv-of-someone-else', registration('ORPHAN-ADOPTED', { title: 'second try, no key' }), as('anct-other-clerk'));
    expect(registeredId(adopted)).toBe('conv-of-the-crashed-request');
    expect(await store.readStream(conventionStream('conv-of-someone-else'))).toEqual([]);
    // The crashed request's own retry finds its id registered by another caller: the reference is taken.
    await expect(reservations.register('conv-of-the-crashed-request', registration('ORPHAN-ADOPTED'), as('anct-finance', 'k1')))
      .rejects.toBeInstanceOf(ReferenceTakenError);
  });

  it('a reservation whose convention was registered under another reference (same key, another body) is taken over', async () => {
    const { store, reservations } = openProcess();
    await crashedAfterReserving(store, 'FIRST-BODY', 'conv-k1');
    // The retry under the same key carried another reference: conv-k1 now holds SECOND-BODY.
    await reservations.register('conv-k1', registration('SECOND-BODY'), as('anct-finance', 'k1'));
    const taker = await reservations.register('conv-new', registration('FIRST-BODY'), as('anct-finance', 'k2'));
    expect(registeredId(taker)).toBe('conv-new');
    expect((await store.readStream(referenceStream(ORGANISATION, 'FIRST-BODY'))).map((e) => e.data.conventionId)).toEqual(['conv-k1', 'conv-new']);
  });

  it('two processes on one store file racing for one reference: exactly one registers it', async () => {
    const contenders = [openProcess(), openProcess(), openProcess()];
    const outcomes = await Promise.allSettled(Array.from({ length: 12 }, (_, i) =>
      contenders[i % 3].reservations.register(`conv-${i}`, registration('RACED', { title: `contender ${i}` }), as(`clerk-${i}`))));
    const registered = outcomes.filter((o) => o.status === 'fulfilled');
    expect(registered).toHaveLength(1);
    expect(outcomes.filter((o) => o.status === 'rejected').every((o) => (o as PromiseRejectedResult).reason instanceof ReferenceTakenError)).toBe(true);
    const reservation = await contenders[0].store.readStream(referenceStream(ORGANISATION, 'RACED'));
    expect(reservation).toHaveLength(1);
    expect(registeredId((registered[0] as PromiseFulfilledResult<{ events: { type: string; data: unknown }[] }>).value)).toBe(reservation[0].data.conventionId);
  });
});
