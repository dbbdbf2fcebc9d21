import { sql } from 'kysely';
import { EVENT_STORE, SqliteEventStore } from '@cl/event-store';
import type { ReadModelDb } from '@cl/read-models';
import { READ_MODEL_DB } from '../../apps/api/src/infrastructure/tokens';
import { ledgerOver } from '../support/ledger-http';
import { SEED_CONVENTION_BODY } from '../support/seed-http';
import { bearer, startTestApp, TEST_TOKENS, type TestApp } from '../support/test-app';

const beneficiary = bearer(TEST_TOKENS.beneficiary);
const auditor = bearer(TEST_TOKENS.auditor);
/** Enough to fill any page left free before the cap (pages are 4 KiB; each event takes ~1 KiB). */
const MAX_ATTEMPTS = 400;

/**
 * A full disk, for real: SQLite's max_page_count caps the database file at its current size, so
 * the next write that needs a page fails inside SQLite with SQLITE_FULL, as on a full file system
 * (docs/api.md, STORE_UNAVAILABLE). Raising the cap is "space returns".
 */
describe('a full store: 503 STORE_UNAVAILABLE, nothing recorded, not ready, recovery by itself', () => {
  let t: TestApp;
  let id: string;

  beforeAll(async () => {
    t = await startTestApp();
    id = await ledgerOver(t).active(SEED_CONVENTION_BODY.reference);
  });
  afterAll(async () => t.close());

  const health = async () => {
    const res = await t.http.get('/health');
    return { status: res.status, body: res.body };
  };
  const postExpense = (key: string, description: string) =>
    t.http.post(`/conventions/${id}/expenses`).set(beneficiary).set('Idempotency-Key', key)
      .send({ category: 'devops', description, amount: '10.00', committedOn: '2020-06-01' });

  /** Sends distinct expenses until one is refused; returns the refused request and the last acknowledged position. */
  async function fillUntilRefused(prefix: string) {
    let lastPosition = (await health()).body.store.headPosition as number;
    for (let i = 0; i < MAX_ATTEMPTS; i++) {
      const res = await postExpense(`${prefix}-${i}`, `${prefix} expense ${i} `.padEnd(400, 'x'));
      if (res.status !== 201) return { refused: res, key: `${prefix}-${i}`, description: `${prefix} expense ${i} `.padEnd(400, 'x'), lastPosition };
      lastPosition = res.body.position;
    }
    throw new Error(`no write was refused in ${MAX_ATTEMPTS} attempts`);
  }

  it('when the event store cannot write', async () => {
    const store = t.app.get<SqliteEventStore>(EVENT_STORE);
    expect(store).toBeInstanceOf(SqliteEventStore);
    const uncapped = store.maxPageCount();
    store.maxPageCount(1); // SQLite keeps the cap at no less than the current size: full from now on.

    const { refused, key, description, lastPosition } = await fillUntilRefused('store-full');
    expect(refused.status).toBe(503);
    expect(refused.headers['retry-after']).toBe('5');
    expect(refused.body).toEqual({ statusCode: 503, code: 'STORE_UNAVAILABLE', message: expect.stringMatching(/nothing was recorded/) });

    // Nothing recorded, and not ready: the write probe fails while reads still work.
    const unready = await health();
    expect(unready.status).toBe(503);
    expect(unready.body).toMatchObject({ status: 'error', ready: false, store: { ready: false, headPosition: lastPosition } });
    expect(unready.body.error).toHaveProperty('eventStore');
    expect((await postExpense(key, description)).status).toBe(503);
    expect((await health()).body.store.headPosition).toBe(lastPosition);

    // Space returns: ready again with no command sent, then the same request is recorded.
    store.maxPageCount(uncapped);
    const ready = await health();
    expect(ready.status).toBe(200);
    expect(ready.body).toMatchObject({ status: 'ok', ready: true, store: { ready: true, headPosition: lastPosition } });
    const recorded = await postExpense(key, description);
    expect(recorded.status).toBe(201);
    const { expenses } = (await t.http.get(`/conventions/${id}/expenses?minPosition=${recorded.body.position}`).set(auditor).expect(200)).body;
    expect(expenses.filter((e: { description: string }) => e.description === description)).toHaveLength(1);
  });

  it('when the read-model database (idempotency answers, projections) cannot write', async () => {
    const db = t.app.get<ReadModelDb>(READ_MODEL_DB);
    const uncapped = Number((await sql<{ max_page_count: number }>`pragma max_page_count`.execute(db)).rows[0].max_page_count);
    const before = (await health()).body.store.headPosition as number;
    await sql`pragma max_page_count = 1`.execute(db);
    try {
      await fillIdempotencyTable(db);
      // The Idempotency-Key cannot be taken (a new row larger than any filler): the command does not run.
      const key = 'k'.repeat(255);
      const refused = await postExpense(key, 'while the read models are full');
      expect(refused.status).toBe(503);
      expect(refused.headers['retry-after']).toBe('5');
      expect(refused.body.code).toBe('STORE_UNAVAILABLE');
      expect((await health()).body.store.headPosition).toBe(before);

      await sql`delete from idempotency_requests where scope = ${FILLER_SCOPE}`.execute(db);
      await sql.raw(`pragma max_page_count = ${uncapped}`).execute(db);
      const recorded = await postExpense(key, 'while the read models are full');
      expect(recorded.status).toBe(201);
      await t.http.get(`/conventions/${id}/expenses?minPosition=${recorded.body.position}`).set(auditor).expect(200);
    } finally {
      await sql.raw(`pragma max_page_count = ${uncapped}`).execute(db);
    }
  });
});

const FILLER_SCOPE = 'filler';

/**
 * Fills the answer table until SQLite refuses, again and again, a row smaller than the one a
 * request adds (so no page is left with room for it: each insert goes to the table's last page).
 */
async function fillIdempotencyTable(db: ReadModelDb): Promise<void> {
  let refusedInARow = 0;
  for (let i = 0; refusedInARow < 20; i++) {
    if (i > 20_000) throw new Error('the capped read-model database never filled up');
    try {
      await sql`insert into idempotency_requests (scope, key, fingerprint, status_code, response, started_at)
        values (${FILLER_SCOPE}, ${String(i)}, 'f', 200, ${'x'.repeat(200)}, '2020-01-01T00:00:00.000Z')`.execute(db);
      refusedInARow = 0;
    } catch (error) {
      expect((error as { code?: string }).code).toBe('SQLITE_FULL');
      refusedInARow++;
    }
  }
}
