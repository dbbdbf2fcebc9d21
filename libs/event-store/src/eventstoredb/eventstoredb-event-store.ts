import {
  BACKWARDS,
  END,
  EventStoreDBClient,
  FORWARDS,
  START,
  DeadlineExceededError,
  NotLeaderError,
  StreamNotFoundError,
  TimeoutError,
  UnavailableError,
  WrongExpectedVersionError,
  excludeSystemEvents,
  jsonEvent,
  type AllStreamResolvedEvent,
  type Position,
  type ReadPosition,
} from '@eventstore/db-client';
import { chainBatch, GENESIS_HASH, isChained, linkHashAfter } from '../chain';
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
import { StoreUnavailableError } from '../store-unavailable.error';
import { toClientExpectedRevision, toPortConflict, toSafeNumber } from './expected-revision';
import { isSystemEvent, toRecordedEvent } from './recorded-event-mapping';
import { DEFAULT_RESUME_POLICY, ResumingAllSubscription, type ResumePolicy } from './resuming-all-subscription';

export interface EventStoreDbEventStoreOptions {
  resumePolicy?: ResumePolicy;
  /** How long isReady() waits for the server before answering false. */
  readinessTimeoutMs?: number;
}

/** System events interleave with ours in $all, so a page asks for a little more than it needs. */
const PAGE_SLACK = 16;
const HEAD_SCAN_PAGE = 64;
/** 'any' never conflicts for the caller: a pinned append that lost a race is read and tried again, this many times. */
const MAX_PINNED_ATTEMPTS = 50;

/** The EventStore port over EventStoreDB's gRPC API (the official Node client). */
export class EventStoreDbEventStore implements EventStore {
  private readonly client: EventStoreDBClient;
  private readonly subscriptions = new Set<ResumingAllSubscription>();

  constructor(
    connectionString: string,
    private readonly options: EventStoreDbEventStoreOptions = {},
  ) {
    this.client = EventStoreDBClient.connectionString(connectionString);
  }

  async appendToStream(streamId: string, events: NewEvent[], expectedRevision: ExpectedRevision): Promise<AppendResult> {
    // Same refusals as the embedded store: an empty append has no position to report, and EventStoreDB
    // would silently write a repeated id twice.
    if (events.length === 0) throw new Error(`stream ${streamId}: an append needs at least one event`);
    if (new Set(events.map((event) => event.id)).size !== events.length) {
      throw new Error(`stream ${streamId}: the batch repeats an event id`);
    }
    if (expectedRevision === 'any' || expectedRevision === 'stream_exists') return this.appendAtTheEnd(streamId, events, expectedRevision);
    // No event at the expected revision: the server refuses the append whatever is sent.
    const previous = expectedRevision === 'no_stream' ? undefined : (await this.readStream(streamId, { fromRevision: expectedRevision, maxCount: 1 }))[0];
    return this.appendChained(streamId, events, expectedRevision, await this.linkHashAfterEvent(streamId, previous));
  }

  /**
   * The hash chain needs the previous event's hash, read before the append. With an exact
   * expected revision that read is safe: the event at that revision is the one the batch will
   * follow, or the append is refused. 'any' and 'stream_exists' are pinned to the revision just
   * read, and read again when another writer got in first, so two writers never link to the
   * same event (docs/event-store.md, "Hash chain").
   */
  private async appendAtTheEnd(streamId: string, events: NewEvent[], expectedRevision: 'any' | 'stream_exists'): Promise<AppendResult> {
    for (let attempt = 1; ; attempt++) {
      const tail = (await this.readStream(streamId, { direction: 'backwards', maxCount: events.length })).reverse();
      // The retry of a batch just written (the server's own 'any' check is a cache of recent ids,
      // which a pinned revision bypasses).
      if (tail.length === events.length && tail.every((recorded, index) => recorded.id === events[index].id)) {
        const last = tail[tail.length - 1];
        return { nextExpectedRevision: last.revision, position: last.position };
      }
      const last = tail.at(-1);
      if (!last && expectedRevision === 'stream_exists') throw new WrongExpectedRevisionError(streamId, expectedRevision, 'no_stream');
      const pinned: ExpectedRevision = last ? last.revision : 'no_stream';
      try {
        return await this.appendChained(streamId, events, pinned, await this.linkHashAfterEvent(streamId, last));
      } catch (error) {
        if (!(error instanceof WrongExpectedRevisionError) || attempt === MAX_PINNED_ATTEMPTS) throw error;
      }
    }
  }

  private async appendChained(streamId: string, events: NewEvent[], expectedRevision: ExpectedRevision, previousLink: string): Promise<AppendResult> {
    // The caller's ids go to the server unchanged: a retried append is then recognised as already written.
    const proposed = chainBatch(events, previousLink).map((event) =>
      jsonEvent({ id: event.id, type: event.type, data: event.data, metadata: event.metadata }),
    );
    try {
      const result = await this.client.appendToStream(streamId, proposed, {
        expectedRevision: toClientExpectedRevision(expectedRevision),
      });
      const nextExpectedRevision = toSafeNumber(result.nextExpectedRevision, 'revision');
      const position = result.position
        ? toSafeNumber(result.position.commit, 'position')
        : await this.positionOfRevision(streamId, nextExpectedRevision);
      return { nextExpectedRevision, position };
    } catch (error) {
      if (error instanceof WrongExpectedVersionError) throw toPortConflict(streamId, expectedRevision, error);
      throw asUnavailable(error, 'append');
    }
  }

  /** The hash an event appended after `previous` links to (the stream's start when none); the stream is read only after events recorded before the chain. */
  private async linkHashAfterEvent(streamId: string, previous: RecordedEvent | undefined): Promise<string> {
    if (!previous) return GENESIS_HASH;
    if (isChained(previous)) return previous.metadata.hash!;
    return linkHashAfter(await this.readStream(streamId, { maxCount: previous.revision + 1 }));
  }

  async readStream(streamId: string, options: ReadStreamOptions = {}): Promise<RecordedEvent[]> {
    const backwards = options.direction === 'backwards';
    const read = this.client.readStream(streamId, {
      direction: backwards ? BACKWARDS : FORWARDS,
      fromRevision: options.fromRevision !== undefined ? BigInt(options.fromRevision) : backwards ? END : START,
      ...(options.maxCount !== undefined ? { maxCount: options.maxCount } : {}),
    });
    const events: RecordedEvent[] = [];
    try {
      for await (const resolved of read) events.push(toRecordedEvent(resolved));
    } catch (error) {
      if (error instanceof StreamNotFoundError) return [];
      throw asUnavailable(error, 'read');
    }
    return events;
  }

  /**
   * EventStoreDB reads $all forwards *from* a position, including it; the port reads strictly
   * *after* it. So the record at `after` is skipped, as is every system record.
   */
  async readAll({ after, maxCount }: ReadAllOptions): Promise<RecordedEvent[]> {
    const events: RecordedEvent[] = [];
    let cursor = after;
    while (events.length < maxCount) {
      const pageSize = maxCount - events.length + PAGE_SLACK;
      const page = await this.readAllPage(cursor === undefined ? START : toReadPosition(cursor), FORWARDS, pageSize);
      for (const resolved of page) {
        const position = positionOf(resolved);
        if (cursor !== undefined && position <= cursor) continue;
        cursor = position;
        if (isSystemEvent(resolved)) continue;
        events.push(toRecordedEvent(resolved));
        if (events.length === maxCount) break;
      }
      if (page.length < pageSize) break;
    }
    return events;
  }

  /** The client decodes every event's metadata whatever is read of it: readAll's events, as they are. */
  readAllForProjection(options: ReadAllOptions): Promise<ProjectableEvent[]> {
    return this.readAll(options);
  }

  subscribeToAll(options: SubscribeToAllOptions = {}): AllSubscription {
    const subscription = new ResumingAllSubscription(
      (after) =>
        this.client.subscribeToAll({
          fromPosition: after === undefined || after === 0 ? START : toReadPosition(after),
          filter: excludeSystemEvents(),
        }),
      options.after,
      this.options.resumePolicy ?? DEFAULT_RESUME_POLICY,
      (closed) => this.subscriptions.delete(closed),
    );
    this.subscriptions.add(subscription);
    return subscription;
  }

  async headPosition(): Promise<number> {
    let from: ReadPosition = END;
    for (;;) {
      const page = await this.readAllPage(from, BACKWARDS, HEAD_SCAN_PAGE);
      const application = page.find((resolved) => !isSystemEvent(resolved));
      if (application) return positionOf(application);
      if (page.length < HEAD_SCAN_PAGE) return 0;
      from = toReadPosition(positionOf(page[page.length - 1]));
    }
  }

  async isReady(): Promise<boolean> {
    const timeoutMs = this.options.readinessTimeoutMs ?? 2_000;
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<boolean>((resolve) => {
      timer = setTimeout(() => resolve(false), timeoutMs);
    });
    const probe = this.readAllPage(END, BACKWARDS, 1).then(
      () => true,
      () => false,
    );
    try {
      return await Promise.race([probe, timedOut]);
    } finally {
      clearTimeout(timer);
    }
  }

  async close(): Promise<void> {
    await Promise.all([...this.subscriptions].map((subscription) => subscription.close()));
    await this.client.dispose();
  }

  private async readAllPage(from: ReadPosition, direction: typeof FORWARDS | typeof BACKWARDS, maxCount: number): Promise<AllStreamResolvedEvent[]> {
    const page: AllStreamResolvedEvent[] = [];
    try {
      for await (const resolved of this.client.readAll({ fromPosition: from, direction, maxCount })) page.push(resolved);
    } catch (error) {
      throw asUnavailable(error, 'read');
    }
    return page;
  }

  /** Some servers answer an idempotent replay without a position; the event itself still has it. */
  private async positionOfRevision(streamId: string, revision: number): Promise<number> {
    const [event] = await this.readStream(streamId, { fromRevision: revision, maxCount: 1 });
    if (!event) throw new Error(`stream ${streamId} has no revision ${revision} to take a position from`);
    return event.position;
  }
}

/**
 * The server could not be reached, did not answer in time, or is electing a leader: the append
 * was not acknowledged, and a retry with the same event ids is recognised if it had been written.
 */
function asUnavailable(error: unknown, operation: string): unknown {
  const transient = error instanceof UnavailableError || error instanceof DeadlineExceededError || error instanceof TimeoutError || error instanceof NotLeaderError;
  return transient ? new StoreUnavailableError(operation, (error as Error).message) : error;
}

/** Our positions are commit positions; EventStoreDB writes each event with commit == prepare. */
function toReadPosition(position: number): Position {
  const at = BigInt(position);
  return { commit: at, prepare: at };
}

function positionOf(resolved: AllStreamResolvedEvent): number {
  const commit = resolved.event?.position.commit ?? resolved.commitPosition;
  if (commit === undefined) throw new Error('EventStoreDB returned a $all record without a position');
  return toSafeNumber(commit, 'position');
}
