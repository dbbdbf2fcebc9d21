import type { BeforeApplicationShutdown } from '@nestjs/common';
import type { Kysely } from 'kysely';
import { withSchemaLock } from '@cl/read-models';


export type IdempotencyBegin =
  | { kind: 'started' }
  | { kind: 'replay'; statusCode: number; body: unknown }
  | { kind: 'mismatch' }
  | { kind: 'in-progress' };

interface IdempotencyTable {
  idempotency_requests: {
    scope: string;
    key: string;
    fingerprint: string;
    status_code: number | null;
    response: string | null;
    started_at: string;
  };
}

/**
 * A request left pending this long may be run again by a retry: its process probably died (kill
 * -9, a crash) before answering. Running it again is safe even when the first is merely slow:
 * the executor finds the facts recorded under the key and answers with them instead of deciding
 * again (docs/architecture.md, "Idempotency-Key"), so a command is recorded at most once. Kept
 * within the interceptor's wait for an in-progress key, so that a retry after a crash gets its
 * answer instead of 409 IDEMPOTENCY_KEY_IN_PROGRESS (the crash test sends every key again).
 */
export const STALE_AFTER_MS = 4_000;

/**
 * Remembers each (caller, Idempotency-Key) with the request's fingerprint and the response given.
 * It lives in the read-model database (SQLite by default, PostgreSQL at scale) so that several API
 * instances share it.
 */
export class IdempotencyStore implements BeforeApplicationShutdown {
  /** Requests this process began and has not answered yet: released on shutdown. */
  private readonly inProgress = new Map<string, { scope: string; key: string }>();

  constructor(private readonly db: Kysely<IdempotencyTable>) {}

  /**
   * On shutdown, after in-flight requests had their grace period: the keys of requests still
   * running are released, so that a retry is decided again at once (from the facts, if the
   * command was recorded) instead of waiting STALE_AFTER_MS for the stale take-over.
   */
  async beforeApplicationShutdown(): Promise<void> {
    await Promise.all([...this.inProgress.values()].map(({ scope, key }) => this.abandon(scope, key).catch(() => undefined)));
  }

  static async open<DB>(db: Kysely<DB>): Promise<IdempotencyStore> {
    await withSchemaLock(db, (trx) => trx.schema
      .createTable('idempotency_requests')
      .ifNotExists()
      .addColumn('scope', 'text', (c) => c.notNull())
      .addColumn('key', 'text', (c) => c.notNull())
      .addColumn('fingerprint', 'text', (c) => c.notNull())
      .addColumn('status_code', 'integer')
      .addColumn('response', 'text')
      .addColumn('started_at', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('idempotency_requests_pk', ['scope', 'key'])
      .execute()
      .then(() => undefined));
    // The table was just created: the caller's schema type does not list it.
    return new IdempotencyStore(db as unknown as Kysely<IdempotencyTable>);
  }

  async begin(scope: string, key: string, fingerprint: string, now: Date): Promise<IdempotencyBegin> {
    const inserted = await this.db
      .insertInto('idempotency_requests')
      .values({ scope, key, fingerprint, status_code: null, response: null, started_at: now.toISOString() })
      .onConflict((oc) => oc.columns(['scope', 'key']).doNothing())
      .executeTakeFirst();
    if (Number(inserted.numInsertedOrUpdatedRows ?? 0) > 0) return this.started(scope, key);

    const row = await this.db.selectFrom('idempotency_requests').selectAll().where('scope', '=', scope).where('key', '=', key).executeTakeFirst();
    if (!row) return this.begin(scope, key, fingerprint, now);
    if (row.fingerprint !== fingerprint) return { kind: 'mismatch' };
    if (row.status_code !== null) return { kind: 'replay', statusCode: row.status_code, body: JSON.parse(row.response ?? 'null') };
    if (now.getTime() - Date.parse(row.started_at) > STALE_AFTER_MS) {
      // Take over a request whose process died: only one taker wins the conditional update.
      const taken = await this.db
        .updateTable('idempotency_requests')
        .set({ started_at: now.toISOString() })
        .where('scope', '=', scope).where('key', '=', key).where('started_at', '=', row.started_at).where('status_code', 'is', null)
        .executeTakeFirst();
      if (Number(taken.numUpdatedRows) > 0) return this.started(scope, key);
    }
    return { kind: 'in-progress' };
  }

  async complete(scope: string, key: string, statusCode: number, body: unknown): Promise<void> {
    this.inProgress.delete(JSON.stringify([scope, key]));
    await this.db
      .updateTable('idempotency_requests')
      .set({ status_code: statusCode, response: JSON.stringify(body) })
      .where('scope', '=', scope).where('key', '=', key)
      .execute();
  }

  /** Forget a request that failed in a way worth retrying (409, 5xx): the key may be used again. */
  async abandon(scope: string, key: string): Promise<void> {
    this.inProgress.delete(JSON.stringify([scope, key]));
    await this.db.deleteFrom('idempotency_requests').where('scope', '=', scope).where('key', '=', key).where('status_code', 'is', null).execute();
  }

  private started(scope: string, key: string): IdempotencyBegin {
    this.inProgress.set(JSON.stringify([scope, key]), { scope, key });
    return { kind: 'started' };
  }
}
