/**
 * The event-store port. Two adapters implement it (embedded SQLite, EventStoreDB) and one
 * contract suite (test/contract/event-store.contract.ts) proves both.
 *
 * Revisions are per stream, from 0. Positions are the global log order: strictly increasing,
 * not necessarily contiguous (EventStoreDB positions are log offsets with gaps), never 0 for a
 * recorded event. A reader remembers the last position it processed and asks for what comes
 * after it.
 */

/** Who recorded a fact, when, and on which request. Stored with every event. */
export interface EventMetadata {
  /** The organisation the principal acted for (absent on facts recorded before organisations existed). */
  actor: { subject: string; roles: string[]; organisation?: string };
  /** ISO-8601 instant the system learned the fact (M2: distinct from business dates). */
  recordedAt: string;
  requestId: string;
  correlationId: string;
  causationId: string;
  idempotencyKey?: string;
  /**
   * With an Idempotency-Key: the fingerprint of the request (method, path, canonical body;
   * apps/api/src/http/idempotency/request-fingerprint.ts), so that a retry is recognised from the
   * facts alone, without the (disposable) answer store. Absent on facts recorded before it existed.
   */
  requestFingerprint?: string;
  schemaVersion: number;
  /**
   * Tamper evidence (docs/event-store.md, "Hash chain"): set by the store on append, never by the
   * caller. `previousHash` is the hash of the stream's previous event (64 zeros for the first),
   * `hash` the SHA-256 of this event's canonical JSON without `hash`. Absent on events recorded
   * before the chain existed.
   */
  previousHash?: string;
  hash?: string;
  /**
   * On a statement's signature: the hash of the statement as drawn up (its StatementDrawnUp
   * data, as stored), so that the signature covers exactly what was signed (docs/audit.md).
   */
  statementContentHash?: string;
}

export interface NewEvent {
  /** UUID. Appending the same ids again at the same place is an idempotent no-op. */
  id: string;
  type: string;
  data: Record<string, unknown>;
  metadata: EventMetadata;
}

export interface RecordedEvent {
  id: string;
  streamId: string;
  type: string;
  data: Record<string, unknown>;
  metadata: EventMetadata;
  revision: number;
  position: number;
  /** metadata.recordedAt, surfaced for readers. */
  recordedAt: string;
}

/**
 * An event as projections read it: everything a RecordedEvent holds but its metadata, of which
 * only the schema version (for upcasting) and the instant it was recorded. A RecordedEvent is one.
 */
export type ProjectableEvent = Omit<RecordedEvent, 'metadata'> & { metadata: Pick<EventMetadata, 'schemaVersion' | 'recordedAt'> };

/**
 * 'any': no check. 'no_stream': the stream must not exist. 'stream_exists': it must exist.
 * A number: the revision of the stream's last event must be exactly this.
 */
export type ExpectedRevision = 'any' | 'no_stream' | 'stream_exists' | number;

export interface AppendResult {
  /** Revision of the last event now in the stream. */
  nextExpectedRevision: number;
  /** Global position of the last event appended (or of the original, on an idempotent retry). */
  position: number;
}

export class WrongExpectedRevisionError extends Error {
  constructor(
    readonly streamId: string,
    readonly expected: ExpectedRevision,
    readonly actual: number | 'no_stream',
  ) {
    super(`stream ${streamId}: expected revision ${String(expected)}, actual ${String(actual)}`);
    this.name = 'WrongExpectedRevisionError';
  }
}

export interface ReadStreamOptions {
  direction?: 'forwards' | 'backwards';
  /** Inclusive. Forwards default 0; backwards default the end. */
  fromRevision?: number;
  maxCount?: number;
}

export interface ReadAllOptions {
  /** Exclusive: events strictly after this position. Omitted: from the start of the log. */
  after?: number;
  maxCount: number;
}

export interface SubscribeToAllOptions {
  /** Exclusive, as in ReadAllOptions. */
  after?: number;
}

/**
 * A live subscription to the global log: it catches up from `after`, then delivers new events
 * as they are appended. Only application events are delivered (never system events). It never
 * delivers an event twice nor skips one, including when the adapter reconnects after a dropped
 * connection. Iterating ends once `close()` is called.
 */
export interface AllSubscription extends AsyncIterable<RecordedEvent> {
  close(): Promise<void>;
}

export interface EventStore {
  appendToStream(streamId: string, events: NewEvent[], expectedRevision: ExpectedRevision): Promise<AppendResult>;
  /** An unknown stream reads as an empty list. */
  readStream(streamId: string, options?: ReadStreamOptions): Promise<RecordedEvent[]>;
  readAll(options: ReadAllOptions): Promise<RecordedEvent[]>;
  /**
   * readAll as projections need it (a rebuild reads the whole log through it): the same events
   * in the same order, each as a ProjectableEvent, which a store may build without decoding the
   * rest of the metadata (who, which request, the hash chain: most of its bytes).
   */
  readAllForProjection(options: ReadAllOptions): Promise<ProjectableEvent[]>;
  subscribeToAll(options?: SubscribeToAllOptions): AllSubscription;
  /** Position of the last application event in the global log, 0 when there is none. */
  headPosition(): Promise<number>;
  /** True once the store can serve reads and writes (for /health). */
  isReady(): Promise<boolean>;
  close(): Promise<void>;
}

export const EVENT_STORE = Symbol('EVENT_STORE');
