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
import type {
  AllSubscription,
  AppendResult,
  EventStore,
  ExpectedRevision,
  NewEvent,
  ReadAllOptions,
  ReadStreamOptions,
  RecordedEvent,
  SubscribeToAllOptions,
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
    // The caller's ids go to the server unchanged: a retried append is then recognised as already written.
    const proposed = events.map((event) =>
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
