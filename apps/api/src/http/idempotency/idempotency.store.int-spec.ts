import { createReadModelDb, type ReadModelDb } from '@cl/read-models';
import { WAIT_FOR_IN_PROGRESS_MS } from './idempotency.interceptor';
import { IdempotencyStore, STALE_AFTER_MS } from './idempotency.store';

/**
 * A key whose request died with its process (SIGKILL between `begin` and `complete`) must not
 * lock its retries out: the crash test (test/e2e/crash-recovery.e2e-spec.ts) sends every key again
 * right after a restart and expects answers, not 409 IDEMPOTENCY_KEY_IN_PROGRESS.
 */
describe('IdempotencyStore: a request left in progress', () => {
  let db: ReadModelDb;
  let store: IdempotencyStore;
  const started = new Date('2026-01-01T10:00:00.000Z');
  const after = (ms: number) => new Date(started.getTime() + ms);

  beforeEach(async () => {
    db = createReadModelDb({ kind: 'sqlite', file: ':memory:' });
    store = await IdempotencyStore.open(db);
  });
  afterEach(() => db.destroy());

  it('keeps a retry waiting while the first request may still run', async () => {
    expect(await store.begin('principal', 'key-1', 'fingerprint', started)).toEqual({ kind: 'started' });
    expect(await store.begin('principal', 'key-1', 'fingerprint', after(STALE_AFTER_MS))).toEqual({ kind: 'in-progress' });
  });

  it('lets one retry take it over once stale, and the interceptor waits long enough for that', async () => {
    expect(STALE_AFTER_MS).toBeLessThan(WAIT_FOR_IN_PROGRESS_MS);
    await store.begin('principal', 'key-1', 'fingerprint', started);
    // The retry that arrives first after the first request went quiet: even at the same instant
    // as the original, it takes over within its own wait.
    expect(await store.begin('principal', 'key-1', 'fingerprint', after(STALE_AFTER_MS + 1))).toEqual({ kind: 'started' });
    // Taken: a second retry at that instant waits for the first retry.
    expect(await store.begin('principal', 'key-1', 'fingerprint', after(STALE_AFTER_MS + 1))).toEqual({ kind: 'in-progress' });
    await store.complete('principal', 'key-1', 201, { id: 'x' });
    expect(await store.begin('principal', 'key-1', 'fingerprint', after(STALE_AFTER_MS + 2))).toEqual({ kind: 'replay', statusCode: 201, body: { id: 'x' } });
  });

  it('never takes over a key for another request body', async () => {
    await store.begin('principal', 'key-1', 'fingerprint', started);
    expect(await store.begin('principal', 'key-1', 'another', after(STALE_AFTER_MS + 1))).toEqual({ kind: 'mismatch' });
  });
});
