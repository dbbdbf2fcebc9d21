import type Database from 'better-sqlite3';
import {
  WrongExpectedRevisionError,
  type AllSubscription,
  type AppendResult,
  type EventStore,
  type ExpectedRevision,
  type NewEvent,
  type ProjectableEvent,
  type ReadAllOptions,
  type ReadStreamOptions,
  type RecordedEvent,
  type SubscribeToAllOptions,
} from '../event-store.port';
import { chainBatch, GENESIS_HASH, linkHashAfter } from '../chain';
import { appendSignalKey, listenForAppends, signalAppend } from './append-signal';
import { asStoreUnavailable } from '../store-unavailable.error';
import { EventIdConflictError } from './event-id-conflict.error';
import { assertExpectedRevision, firstRevisionImpliedBy, type ActualRevision } from './expected-revision';
import { GroupCommitQueue, type MemberOutcome } from './group-commit';
import { SqliteAllSubscription } from './sqlite-all-subscription';
import { openEventDatabase, projectionColumnsOf, type EventRow } from './sqlite-schema';
import { projectionMetadataOf } from './projection-metadata';
import { prepareEventStatements, type EventStatements, type ProjectableRowValues, type RecordedRef } from './sqlite-statements';

export interface SqliteEventStoreOptions {
  /** How often live subscriptions look for appends made by other processes. Default 150 ms. */
  pollIntervalMs?: number;
  /** Events read per query while a subscription catches up. Default 500. */
  subscriptionBatchSize?: number;
  /** How long to wait for another process's lock before failing. Default 5000 ms. */
  busyTimeoutMs?: number;
}

interface AppendRequest {
  streamId: string;
  events: NewEvent[];
  expected: ExpectedRevision;
}

/** An append's answer, and whether it wrote (an idempotent retry does not). */
interface Appended {
  outcome: AppendResult;
  written: boolean;
}

/** SQLite's LIMIT takes a negative number as "no limit". */
const NO_LIMIT = -1;

/**
 * What the readiness probe writes (and deletes in the same transaction) once a write has failed:
 * more than any event the API records, so a store that takes the probe takes the next append.
 */
const WRITE_PROBE_BYTES = 64 * 1024;

/**
 * The embedded, zero-setup EventStore: one SQLite file (or ':memory:'), safe to share between
 * processes on one machine (API and projector). See docs/event-store.md.
 */
export class SqliteEventStore implements EventStore {
  private readonly db: Database.Database;
  private readonly statements: EventStatements;
  private readonly signalKey: string;
  private readonly subscriptions = new Set<SqliteAllSubscription>();
  private readonly pollIntervalMs: number;
  private readonly subscriptionBatchSize: number;
  /** Set by an append that failed for a storage fault, cleared by a successful write. */
  private writeFault?: string;
  private readonly appends = new GroupCommitQueue<AppendRequest, AppendResult>((requests) => this.commitGroup(requests));
  private readonly commitStats = { transactions: 0, appends: 0 };
  private readonly appendOne: Database.Transaction<(request: AppendRequest) => Appended>;
  private readonly appendEach: Database.Transaction<(requests: AppendRequest[]) => Array<MemberOutcome<Appended>>>;

  constructor(
    readonly filename: string,
    options: SqliteEventStoreOptions = {},
  ) {
    this.pollIntervalMs = options.pollIntervalMs ?? 150;
    this.subscriptionBatchSize = options.subscriptionBatchSize ?? 500;
    this.db = openEventDatabase(filename, options.busyTimeoutMs ?? 5000);
    this.statements = prepareEventStatements(this.db);
    this.signalKey = appendSignalKey(filename);
    // Built once: inside another transaction better-sqlite3 runs the same function in a SAVEPOINT.
    this.appendOne = this.db.transaction((request: AppendRequest) => this.appendInTransaction(request));
    this.appendEach = this.db.transaction((requests: AppendRequest[]) => requests.map((request) => this.appendInSavepoint(request)));
  }

  async appendToStream(streamId: string, events: NewEvent[], expectedRevision: ExpectedRevision): Promise<AppendResult> {
    if (events.length === 0) throw new Error(`stream ${streamId}: an append needs at least one event`);
    if (new Set(events.map((event) => event.id)).size !== events.length) {
      throw new Error(`stream ${streamId}: the batch repeats an event id`);
    }
    return this.appends.submit({ streamId, events, expected: expectedRevision });
  }

  /** Transactions committed by appends, and the appends they held (group commit; for tests and diagnostics). */
  appendCommitStats(): { transactions: number; appends: number } {
    return { ...this.commitStats };
  }

  async readStream(streamId: string, options: ReadStreamOptions = {}): Promise<RecordedEvent[]> {
    const limit = options.maxCount ?? NO_LIMIT;
    const rows = this.storageCall('read', () =>
      options.direction === 'backwards'
        ? this.statements.readStreamBackwards.all(streamId, options.fromRevision ?? Number.MAX_SAFE_INTEGER, limit)
        : this.statements.readStreamForwards.all(streamId, options.fromRevision ?? 0, limit),
    );
    return rows.map(toRecordedEvent);
  }

  async readAll(options: ReadAllOptions): Promise<RecordedEvent[]> {
    return this.storageCall('read', () => this.readAfter(options.after ?? 0, options.maxCount));
  }

  /**
   * Rows as arrays (no object per row) and, of the metadata, only its schema version and
   * recordedAt, from the columns they are copied to on append (sqlite-schema.ts), else found in
   * its text (projection-metadata.ts): most of the cost of reading the log was decoding the
   * metadata's JSON, which projections do not read (docs/performance.md, "Reading what a
   * projection reads").
   */
  async readAllForProjection(options: ReadAllOptions): Promise<ProjectableEvent[]> {
    return this.storageCall('read', () => this.statements.readProjectableAfter.all(options.after ?? 0, options.maxCount).map(toProjectableEvent));
  }

  subscribeToAll(options: SubscribeToAllOptions = {}): AllSubscription {
    if (!this.db.open) throw new Error('the event store is closed');
    const subscription = new SqliteAllSubscription(
      {
        readAfter: (position, maxCount) => this.readAfter(position, maxCount),
        listenForAppends: (wake) => listenForAppends(this.signalKey, wake),
        forget: (closed) => this.subscriptions.delete(closed),
      },
      options.after ?? 0,
      { pollIntervalMs: this.pollIntervalMs, batchSize: this.subscriptionBatchSize },
    );
    this.subscriptions.add(subscription);
    return subscription;
  }

  async headPosition(): Promise<number> {
    return this.statements.headPosition.get()?.head ?? 0;
  }

  /**
   * Reads work, and writes too: after an append failed for a storage fault (disk full, I/O
   * error), each call tries a real write (a row of WRITE_PROBE_BYTES written and deleted in one
   * committed transaction) until one succeeds, so readiness comes back by itself once space
   * returns, even when no command arrives to prove it.
   */
  async isReady(): Promise<boolean> {
    if (!this.db.open) return false;
    try {
      if (this.statements.ping.get() === undefined) return false;
      if (this.writeFault === undefined) return true;
      this.db.transaction(() => {
        this.statements.writeProbe.run(WRITE_PROBE_BYTES);
        this.statements.clearWriteProbe.run();
      }).immediate();
      this.writeFault = undefined;
      return true;
    } catch {
      return false;
    }
  }

  /** Why the last append failed, while writes have not worked since (for /health). */
  lastWriteFault(): string | undefined {
    return this.writeFault;
  }

  /**
   * SQLite's max_page_count for this connection: the largest the file may grow, in pages of
   * `page_size` bytes (a quota; SQLite answers SQLITE_FULL beyond it, exactly as on a full
   * disk). Without an argument, reads it. The fault tests fill the store for real with it.
   */
  maxPageCount(pages?: number): number {
    return Number(this.db.pragma(pages === undefined ? 'max_page_count' : `max_page_count = ${Math.trunc(pages)}`, { simple: true }));
  }

  async close(): Promise<void> {
    await Promise.all([...this.subscriptions].map((subscription) => subscription.close()));
    // Appends already accepted are committed (or refused) before the connection goes.
    if (this.db.open) this.appends.flush();
    if (this.db.open) this.db.close();
  }

  /**
   * Makes every live subscription drop what it has read and resume from its last delivered
   * event, as a network adapter does after losing its connection. Lets the shared contract
   * prove resumption on this adapter too.
   */
  simulateSubscriptionDrop(): void {
    for (const subscription of this.subscriptions) subscription.resumeFromCursor();
  }

  /** Runs a synchronous SQLite call; a storage fault becomes the port's StoreUnavailableError. */
  private storageCall<T>(operation: 'append' | 'read', call: () => T): T {
    try {
      return call();
    } catch (error) {
      const unavailable = asStoreUnavailable(error, operation);
      if (!unavailable) throw error;
      if (operation === 'append') this.writeFault = unavailable.reason;
      throw unavailable;
    }
  }

  private readAfter(position: number, maxCount: number): RecordedEvent[] {
    return this.statements.readAllAfter.all(position, maxCount).map(toRecordedEvent);
  }

  /**
   * One transaction for every append of the group (GroupCommitQueue), in arrival order. IMMEDIATE
   * takes the write lock before reading any stream's revision: a deferred transaction would have
   * to upgrade its read lock, which SQLite refuses with SQLITE_BUSY (no waiting) when another
   * process wrote in between. A lone append runs as before, without a savepoint. A storage fault
   * (SQLITE_FULL when the disk is full) in any statement or in the COMMIT rolls the whole
   * transaction back: nothing of the group is recorded, and every member gets the
   * StoreUnavailableError.
   */
  private commitGroup(requests: AppendRequest[]): Array<MemberOutcome<AppendResult>> {
    const appended = this.storageCall('append', (): Array<MemberOutcome<Appended>> =>
      requests.length === 1 ? [{ ok: true, value: this.appendOne.immediate(requests[0]) }] : this.appendEach.immediate(requests));
    // As before group commit: a write fault is over once an append gets through.
    if (appended.some((member) => member.ok)) this.writeFault = undefined;
    this.commitStats.transactions++;
    this.commitStats.appends += requests.length;
    if (appended.some((member) => member.ok && member.value.written)) signalAppend(this.signalKey);
    return appended.map((member) => (member.ok ? { ok: true, value: member.value.outcome } : member));
  }

  /**
   * One member of a group, in its own SAVEPOINT: its refusal (wrong expected revision, event id
   * conflict, a constraint) undoes its own rows only and is its answer alone. A storage fault
   * fails the whole group, and so does anything that ended the transaction itself.
   */
  private appendInSavepoint(request: AppendRequest): MemberOutcome<Appended> {
    try {
      return { ok: true, value: this.appendOne(request) };
    } catch (error) {
      if (asStoreUnavailable(error, 'append') || !this.db.inTransaction) throw error;
      return { ok: false, error };
    }
  }

  /**
   * Reads the stream's last revision and hash inside the write transaction, so an earlier member
   * of the same group on the same stream is seen as if it had committed alone before.
   */
  private appendInTransaction({ streamId, events, expected }: AppendRequest): Appended {
    const last = this.statements.lastOfStream.get(streamId);
    const actual: ActualRevision = last?.revision ?? 'no_stream';
    const alreadyRecorded = events.map((event) => this.statements.findByEventId.get(event.id));
    if (alreadyRecorded.some((recorded) => recorded !== undefined)) {
      return { outcome: this.recogniseRetry(streamId, events, expected, actual, alreadyRecorded), written: false };
    }
    assertExpectedRevision(streamId, expected, actual);

    let revision = last ? last.revision + 1 : 0;
    let position = 0;
    // The previous event's hash is read in the same IMMEDIATE transaction as the insert: no other
    // writer can slip an event in between, whatever the expected revision (docs/event-store.md).
    for (const event of chainBatch(events, this.linkHashAt(streamId, last))) {
      const inserted = this.statements.insert.run(
        event.id,
        streamId,
        revision,
        event.type,
        JSON.stringify(event.data),
        JSON.stringify(event.metadata),
        ...projectionColumnsOf(event.metadata),
      );
      position = Number(inserted.lastInsertRowid);
      revision++;
    }
    return { outcome: { nextExpectedRevision: revision - 1, position }, written: true };
  }

  /** The hash the stream's next event links to: its last event's, computed over the stream for events recorded before the chain. */
  private linkHashAt(streamId: string, last: { revision: number; hash: string | null } | undefined): string {
    if (!last) return GENESIS_HASH;
    if (last.hash !== null) return last.hash;
    return linkHashAfter(this.statements.readStreamForwards.all(streamId, 0, NO_LIMIT).map(toRecordedEvent));
  }

  /**
   * EventStoreDB's rule: a batch whose ids are exactly the events already at the place the
   * expected revision points to is a retry, answered with the original result. Any other reuse
   * of recorded ids is refused, and nothing is written.
   */
  private recogniseRetry(
    streamId: string,
    events: NewEvent[],
    expected: ExpectedRevision,
    actual: ActualRevision,
    alreadyRecorded: Array<RecordedRef | undefined>,
  ): AppendResult {
    const first = alreadyRecorded[0];
    const isSameBatchInThisStream =
      first !== undefined &&
      alreadyRecorded.every(
        (recorded, index) => recorded?.stream_id === streamId && recorded.revision === first.revision + index,
      );
    if (!isSameBatchInThisStream) {
      const clash = alreadyRecorded.findIndex((recorded) => recorded !== undefined);
      throw new EventIdConflictError(streamId, expected, actual, events[clash].id, alreadyRecorded[clash]!.stream_id);
    }
    const impliedFirstRevision = firstRevisionImpliedBy(expected);
    if (impliedFirstRevision !== undefined && impliedFirstRevision !== first.revision) {
      throw new WrongExpectedRevisionError(streamId, expected, actual);
    }
    const lastOfBatch = alreadyRecorded[alreadyRecorded.length - 1]!;
    return { nextExpectedRevision: lastOfBatch.revision, position: lastOfBatch.position };
  }
}

function toProjectableEvent([position, id, streamId, revision, type, data, recordedAt, schemaVersion, metadata]: ProjectableRowValues): ProjectableEvent {
  // A NULL schema version: none in the metadata (events older than versions), undefined as readAll gives it.
  const projected = recordedAt === null ? projectionMetadataOf(metadata!) : { schemaVersion: (schemaVersion ?? undefined) as number, recordedAt };
  return {
    id,
    streamId,
    type,
    data: JSON.parse(data) as Record<string, unknown>,
    metadata: projected,
    revision,
    position,
    recordedAt: projected.recordedAt,
  };
}

function toRecordedEvent(row: EventRow): RecordedEvent {
  const metadata = JSON.parse(row.metadata) as RecordedEvent['metadata'];
  return {
    id: row.event_id,
    streamId: row.stream_id,
    type: row.type,
    data: JSON.parse(row.data) as Record<string, unknown>,
    metadata,
    revision: row.revision,
    position: row.position,
    recordedAt: metadata.recordedAt,
  };
}
