import type { BeforeApplicationShutdown } from '@nestjs/common';
import type { Kysely } from 'kysely';
import { withSchemaLock } from '@cl/read-models';
import { groupedWrites, type WriteRunner } from './grouped-writes';
import { precompiled } from './precompiled-query';


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

const TABLE = 'idempotency_requests';

function compileQueries(db: Kysely<IdempotencyTable>) {
  return {
    insertPending: precompiled(['scope', 'key', 'fingerprint', 'startedAt'], (p) => db
      .insertInto(TABLE)
      .values({ scope: p.scope, key: p.key, fingerprint: p.fingerprint, status_code: null, response: null, started_at: p.startedAt })
      .onConflict((oc) => oc.columns(['scope', 'key']).doNothing())),
    select: precompiled(['scope', 'key'], (p) => db.selectFrom(TABLE).selectAll().where('scope', '=', p.scope).where('key', '=', p.key)),
    takeOver: precompiled(['scope', 'key', 'startedAt', 'previouslyStartedAt'], (p) => db
      .updateTable(TABLE)
      .set({ started_at: p.startedAt })
      .where('scope', '=', p.scope).where('key', '=', p.key).where('started_at', '=', p.previouslyStartedAt).where('status_code', 'is', null)),
    complete: precompiled(['scope', 'key', 'statusCode', 'response'], (p) => db
      .updateTable(TABLE)
      // A placeholder stands for the number given at each run.
      .set({ status_code: p.statusCode as unknown as number, response: p.response })
      .where('scope', '=', p.scope).where('key', '=', p.key)),
    abandon: precompiled(['scope', 'key'], (p) => db.deleteFrom(TABLE).where('scope', '=', p.scope).where('key', '=', p.key).where('status_code', 'is', null)),
  };
}

/**
 * Remembers each (caller, Idempotency-Key) with the request's fingerprint and the response given.
 * It lives in the read-model database (SQLite by default, PostgreSQL at scale) so that several API
 * instances share it.
 */
export class IdempotencyStore implements BeforeApplicationShutdown {
  /** Requests this process began and has not answered yet: released on shutdown. */
  private readonly inProgress = new Map<string, { scope: string; key: string }>();

  /** Each request runs two of them: compiled once (precompiled-query.ts). */
  private readonly queries: ReturnType<typeof compileQueries>;

  /** The store's writes, grouped per turn of the event loop on SQLite (grouped-writes.ts). */
  private readonly write: WriteRunner;

  constructor(private readonly db: Kysely<IdempotencyTable>) {
    this.queries = compileQueries(db);
    this.write = groupedWrites(db as unknown as Kysely<unknown>);
  }

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
      .createTable(TABLE)
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
    const inserted = await this.write(this.queries.insertPending({ scope, key, fingerprint, startedAt: now.toISOString() }));
    if (Number(inserted.numAffectedRows ?? 0) > 0) return this.started(scope, key);

    const [row] = (await this.db.executeQuery(this.queries.select({ scope, key }))).rows;
    if (!row) return this.begin(scope, key, fingerprint, now);
    if (row.fingerprint !== fingerprint) return { kind: 'mismatch' };
    if (row.status_code !== null) return { kind: 'replay', statusCode: row.status_code, body: JSON.parse(row.response ?? 'null') };
    if (now.getTime() - Date.parse(row.started_at) > STALE_AFTER_MS) {
      // Take over a request whose process died: only one taker wins the conditional update.
      const taken = await this.write(this.queries.takeOver({ scope, key, startedAt: now.toISOString(), previouslyStartedAt: row.started_at }));
      if (Number(taken.numAffectedRows ?? 0) > 0) return this.started(scope, key);
    }
    return { kind: 'in-progress' };
  }

  async complete(scope: string, key: string, statusCode: number, body: unknown): Promise<void> {
    this.inProgress.delete(JSON.stringify([scope, key]));
    await this.write(this.queries.complete({ scope, key, statusCode, response: JSON.stringify(body) }));
  }

  /** Forget a request that failed in a way worth retrying (409, 5xx): the key may be used again. */
  async abandon(scope: string, key: string): Promise<void> {
    this.inProgress.delete(JSON.stringify([scope, key]));
    await this.write(this.queries.abandon({ scope, key }));
  }

  private started(scope: string, key: string): IdempotencyBegin {
    this.inProgress.set(JSON.stringify([scope, key]), { scope, key });
    return { kind: 'started' };
  }
}
