import { describeEachDialect, type ReadModelTestDb } from '../../../../../test/read-models/support/read-model-dialects';
import { WAIT_FOR_IN_PROGRESS_MS } from './idempotency.interceptor';
import { IdempotencyStore, STALE_AFTER_MS } from './idempotency.store';

/**
 * A key whose request died with its process (SIGKILL between `begin` and `complete`) must not
 * lock its retries out: the crash test (test/e2e/crash-recovery.e2e-spec.ts) sends every key again
 * right after a restart and expects answers, not 409 IDEMPOTENCY_KEY_IN_PROGRESS.
 */
describeEachDialect('IdempotencyStore: a request left in progress', ({ open }) => {
  let readModels: ReadModelTestDb;
  let store: IdempotencyStore;
  const started = new Date('2026-01-01T10:00:00.000Z');
  const after = (ms: number) => new Date(started.getTime() + ms);

  beforeEach(async () => {
    readModels = await open();
    store = await IdempotencyStore.open(readModels.db);
  });
  afterEach(() => readModels.close());

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

  it('answers a completed request again, and frees an abandoned key for a new run', async () => {
    await store.begin('principal', 'key-1', 'fingerprint', started);
    await store.complete('principal', 'key-1', 422, { code: 'REFUSED' });
    expect(await store.begin('principal', 'key-1', 'fingerprint', after(1))).toEqual({ kind: 'replay', statusCode: 422, body: { code: 'REFUSED' } });

    await store.begin('principal', 'key-2', 'fingerprint', started);
    await store.abandon('principal', 'key-2');
    expect(await store.begin('principal', 'key-2', 'fingerprint', after(1))).toEqual({ kind: 'started' });
    // A completed answer is never abandoned.
    await store.abandon('principal', 'key-1');
    expect(await store.begin('principal', 'key-1', 'fingerprint', after(2))).toMatchObject({ kind: 'replay', statusCode: 422 });
  });
});
