/**
 * The store could not do its work for a reason that is not the caller's and that may go away:
 * the disk is full or failing, the database file cannot be written, the server is unreachable
 * or did not answer in time. Nothing was recorded by the failed operation (SQLite rolls the
 * transaction back; EventStoreDB either commits an append whole or not at all), so the caller
 * may retry the same request later. The API answers it with 503 STORE_UNAVAILABLE and
 * Retry-After (docs/api.md).
 */
export class StoreUnavailableError extends Error {
  constructor(
    readonly operation: string,
    readonly reason: string,
  ) {
    super(`the store cannot ${operation} for now: ${reason}`);
    this.name = 'StoreUnavailableError';
  }
}

/**
 * SQLite result codes (better-sqlite3 puts them on `code`, extended codes included, e.g.
 * SQLITE_IOERR_WRITE), Node system errors and PostgreSQL SQLSTATE classes that mean "the storage
 * cannot work right now", as opposed to a bug or a constraint. Read models and the idempotency
 * answers live in the same kinds of databases, so the API classifies their failures with this too.
 */
const TRANSIENT_SQLITE = /^SQLITE_(FULL|IOERR|BUSY|LOCKED|READONLY|CANTOPEN|NOMEM|PROTOCOL)/;
const TRANSIENT_SYSTEM = new Set(['ENOSPC', 'EDQUOT', 'EIO', 'EROFS', 'ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'EHOSTUNREACH', 'ENOTFOUND', 'EAI_AGAIN']);
/** 08: connection exception; 53: insufficient resources (53100 disk full); 57P01-57P03: shutting down, cannot connect now. */
const TRANSIENT_SQLSTATE = /^(08|53|57P0[1-3])/;

/** The storage fault behind `error`, as a StoreUnavailableError; undefined for anything else (a bug, a refusal). */
export function asStoreUnavailable(error: unknown, operation: string): StoreUnavailableError | undefined {
  if (error instanceof StoreUnavailableError) return error;
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code !== 'string') return undefined;
  if (TRANSIENT_SQLITE.test(code) || TRANSIENT_SYSTEM.has(code) || TRANSIENT_SQLSTATE.test(code)) {
    return new StoreUnavailableError(operation, `${code}: ${(error as Error).message}`);
  }
  return undefined;
}
