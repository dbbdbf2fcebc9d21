import { Inject, Injectable, Optional } from '@nestjs/common';
import { DEFAULT_STREAM_CACHE, type StreamCacheLimits } from '@cl/config';
import { ApiError } from '../../http/api-error';
import { conventionStream, decide, fold, type ConventionCommand, type ConventionEvent, type ConventionState, type RegisteredConvention } from '@cl/domain';
import { EVENT_STORE, statementSealFor, WrongExpectedRevisionError, type AppendResult, type EventStore, type ExpectedRevision, type NewEvent, type RecordedEvent } from '@cl/event-store';
import { accessOf, assertAccess, type ConventionParties } from '../../auth/access-policy';
import { principalIdentity, type Actor } from '../../auth/roles';
import { businessDayOf, CLOCK, type Clock } from '../../infrastructure/clock';
import { uuidV5 } from '../../infrastructure/deterministic-id';
import { toDomainEvent } from './event-mapping';
import { KeyedMutex } from './keyed-mutex';
import { LruCache } from './lru-cache';
import { keyUseOf, StreamState, type KeyUse, type StoredFact } from './stream-state';

export interface CommandContext {
  actor: Actor;
  requestId: string;
  correlationId: string;
  idempotencyKey?: string;
  /** With an Idempotency-Key: the request's fingerprint (http/idempotency/request-fingerprint.ts), recorded in every event's metadata. */
  requestFingerprint?: string;
}

export interface CommandOutcome {
  events: ConventionEvent[];
  /** Global position of the last event recorded. */
  position: number;
  /** The convention as those events left it (for a replay under the same key: as they left it then). */
  state: ConventionState;
}

/** 409: the convention kept changing under the command (other writers); the client may retry. */
export class ConcurrencyExhaustedError extends ApiError {
  constructor(streamId: string, attempts: number) {
    super(409, 'CONCURRENT_CHANGE', `convention stream ${streamId} kept changing under this command; gave up after ${attempts} attempts, retry later`);
  }
}

/** 422: the Idempotency-Key was used by this principal on this convention for another request (the interceptor's code). */
export class IdempotencyKeyReusedError extends ApiError {
  constructor() {
    super(422, 'IDEMPOTENCY_KEY_REUSED', 'this Idempotency-Key was already used with another request body');
  }
}

export const MAX_ATTEMPTS = 8;

/**
 * The facts already recorded under the context's Idempotency-Key by the same principal (subject
 * and organisation; facts recorded before organisations carry none: the subject alone, as then).
 * When one of them carries a request fingerprint other than this request's, the key was used for
 * another request: 422 IDEMPOTENCY_KEY_REUSED. Facts recorded before fingerprints existed (none
 * in their metadata) match on the key alone, as before.
 */
export function recordedUnderSameKey(history: RecordedEvent[], context: CommandContext): RecordedEvent[] {
  if (!context.idempotencyKey) return [];
  return ofSamePrincipal(history.filter((e) => e.metadata.idempotencyKey === context.idempotencyKey), keyUseOf, context);
}

/** recordedUnderSameKey's rule, on facts or on what a StreamState remembers of them. */
function ofSamePrincipal<T>(underKey: readonly T[], useOf: (fact: T) => KeyUse, context: CommandContext): T[] {
  const { subject, organisation } = context.actor;
  const earlier = underKey.filter((fact) => {
    const use = useOf(fact);
    return use.subject === subject && (use.organisation ?? organisation) === organisation;
  });
  const fingerprint = context.requestFingerprint;
  if (fingerprint !== undefined && earlier.some((fact) => {
    const recorded = useOf(fact).fingerprint;
    return recorded !== undefined && recorded !== fingerprint;
  })) {
    throw new IdempotencyKeyReusedError();
  }
  return earlier;
}

/**
 * The outcome of events just recorded: the state they leave is folded only when a caller reads
 * it (most controllers do not); `before` is immutable, so it is the same state whenever it is read.
 */
function outcomeAfter(events: ConventionEvent[], position: number, before: ConventionState): CommandOutcome {
  let after: ConventionState | undefined;
  return {
    events,
    position,
    get state() {
      return (after ??= fold(events, before));
    },
  };
}

/**
 * The parties of a convention as recorded (T1), for the access policy: the organisations of the
 * terms in force (which an amendment never changes, A2).
 */
export function partiesOf(state: RegisteredConvention): ConventionParties {
  return { funder: state.funder.organisation, beneficiary: state.beneficiary.organisation, accountingOrganisation: state.beneficiary.accountingOrganisation };
}

/** Optional provider of other StreamCacheLimits (@cl/config; the API's: AppConfig's streamCache). */
export const STREAM_CACHE_LIMITS = Symbol('STREAM_CACHE_LIMITS');

/**
 * load → authorize → decide → append with the expected revision, retried on a version conflict.
 * Every command handler goes through here, so the write path of the ledger is one piece of code,
 * and so is the check of who may act on which convention (auth/access-policy.ts).
 *
 * It keeps, per stream, what the events so far fold into (StreamState, a bounded LRU), advanced
 * with the events each command appends. A command first decides on that without reading: its
 * append expects the kept revision, so if anyone else appended meanwhile (another process,
 * another API instance, a direct append) the store refuses it and nothing is recorded. Then, and
 * for whatever the append cannot check (a refusal, nothing to record), the command reads the
 * events after the kept state, starting at the last one it folded, which must still be there
 * with the same id, and decides again on the stream as it is. A version conflict on a state just
 * read, or anything unexpected, drops the entry, and the next attempt reads the whole stream.
 */
@Injectable()
export class ConventionCommandExecutor {
  private readonly mutex = new KeyedMutex();
  private readonly streams: LruCache<string, StreamState>;

  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(CLOCK) private readonly clock: Clock,
    @Optional() @Inject(STREAM_CACHE_LIMITS) limits: StreamCacheLimits = DEFAULT_STREAM_CACHE,
  ) {
    this.streams = new LruCache(limits.streams, limits.events);
  }

  execute(conventionId: string, command: ConventionCommand, context: CommandContext): Promise<CommandOutcome> {
    const streamId = conventionStream(conventionId);
    return this.mutex.run(streamId, () => this.decideAndAppend(streamId, command, context));
  }

  private async decideAndAppend(streamId: string, command: ConventionCommand, context: CommandContext): Promise<CommandOutcome> {
    // First on the state kept from this stream's last command, without reading anything: the
    // append's expected revision checks that nobody appended since. What that check cannot cover
    // (a refusal, nothing to record) is decided again on the stream as read now.
    let unread = true;
    for (let conflicts = 0; ;) {
      const kept = unread ? this.streams.get(streamId) : undefined;
      unread = false;
      const stream = kept ?? (await this.load(streamId));
      const before = stream.state;
      let events: ConventionEvent[];
      try {
        // Who may act, on the parties as recorded, before anything else is decided or replayed: a
        // convention out of the caller's reach is a 404 exactly as an unknown one (never a 422
        // that would tell it exists), one in reach but not for this role a 403; nothing is recorded.
        assertAccess(context.actor, before ? partiesOf(before) : undefined, accessOf(command));
        if (context.idempotencyKey && ofSamePrincipal(stream.usesOf(context.idempotencyKey), (use) => use, context).length > 0) {
          // Already recorded under this Idempotency-Key for this very request (its HTTP answer was
          // lost, or the answer store was rebuilt): report what was recorded instead of deciding
          // again. Another request under the key was refused above (422).
          const replay = await this.recordedBefore(streamId, context);
          if (replay) return replay;
          this.streams.delete(streamId);
          continue;
        }
        // M4: business dates are judged against today in Europe/Paris, taken on each attempt.
        events = decide(command, before, { today: businessDayOf(this.clock.now()) });
      } catch (refusal) {
        if (kept) continue;
        throw refusal;
      }
      if (events.length === 0) {
        if (kept) continue;
        return { events, position: stream.position, state: before };
      }
      const expected: ExpectedRevision = stream.revision >= 0 ? stream.revision : 'no_stream';
      const appending = this.toNewEvents(streamId, expected, events, context, stream.statementsDrawnUp);
      try {
        const result = await this.store.appendToStream(streamId, appending, expected);
        this.keepAppended(streamId, stream, appending, result);
        return outcomeAfter(events, result.position, before);
      } catch (error) {
        // Decided on a kept state that others have moved past: read what they appended, decide again.
        if (kept && error instanceof WrongExpectedRevisionError) continue;
        this.streams.delete(streamId);
        if (!(error instanceof WrongExpectedRevisionError)) throw error;
        if (++conflicts === MAX_ATTEMPTS) throw new ConcurrencyExhaustedError(streamId, conflicts);
        await new Promise((resolve) => setTimeout(resolve, Math.random() * 10 * conflicts));
      }
    }
  }

  /**
   * The stream as the store holds it now. From the kept state: the events from its last one on,
   * which must be that same event followed by the next revisions; otherwise (or on any error)
   * the entry is dropped and the whole stream read again.
   */
  private async load(streamId: string): Promise<StreamState> {
    const kept = this.streams.get(streamId);
    try {
      if (kept) {
        const tail = await this.store.readStream(streamId, { fromRevision: kept.revision });
        if (tail.length > 0 && tail[0].id === kept.lastEventId && tail.every((e, i) => e.revision === kept.revision + i)) {
          if (tail.length > 1) {
            kept.advance(tail.slice(1));
            this.keep(streamId, kept);
          }
          return kept;
        }
        this.streams.delete(streamId);
      }
      const stream = StreamState.of(await this.store.readStream(streamId));
      if (stream.revision >= 0) this.keep(streamId, stream);
      return stream;
    } catch (error) {
      this.streams.delete(streamId);
      throw error;
    }
  }

  /**
   * The kept state advanced with what was just appended, or forgotten (the next command then reads
   * the stream): whatever happens here, the append is recorded and its answer stands.
   */
  private keepAppended(streamId: string, stream: StreamState, appended: NewEvent[], result: AppendResult): void {
    try {
      if (stream.appended(appended, result)) {
        this.keep(streamId, stream);
        return;
      }
    } catch {
      // Folded as it would be when read: the next command's read meets the same fault, and says so.
    }
    this.streams.delete(streamId);
  }

  /** Weighed by its events, the bulk of what it holds. */
  private keep(streamId: string, stream: StreamState): void {
    this.streams.set(streamId, stream, stream.revision + 1);
  }

  /**
   * The replay of a request already recorded under its key: its events, their position and the
   * convention as they left it, from the whole stream (rare, so not kept). Undefined when the
   * stream holds no such facts after all (then the kept state was wrong).
   */
  private async recordedBefore(streamId: string, context: CommandContext): Promise<CommandOutcome | undefined> {
    const history = await this.store.readStream(streamId);
    const earlier = recordedUnderSameKey(history, context);
    if (earlier.length === 0) return undefined;
    const upTo = earlier[earlier.length - 1].revision;
    const state = fold(history.filter((e) => e.revision <= upTo).map(toDomainEvent));
    return { events: earlier.map(toDomainEvent), position: earlier[earlier.length - 1].position, state };
  }

  private toNewEvents(streamId: string, expected: ExpectedRevision, events: ConventionEvent[], context: CommandContext, statementsDrawnUp: readonly StoredFact[]): NewEvent[] {
    const stored = [...statementsDrawnUp];
    const commandIdentity = context.idempotencyKey ? `key:${principalIdentity(context.actor)}:${JSON.stringify(context.idempotencyKey)}` : `request:${context.requestId}`;
    const recordedAt = this.clock.now().toISOString();
    return events.map((event, index) => {
      const data = event.data as unknown as Record<string, unknown>;
      // A statement's signature carries the hash of the statement as stored (docs/audit.md,
      // "Tamper evidence"): computed here, at the edge, so that the domain stays free of hashing.
      const statementContentHash = statementSealFor({ type: event.type, data }, stored);
      stored.push({ type: event.type, data });
      return {
        id: uuidV5(`${commandIdentity}|${streamId}|${String(expected)}|${index}`),
        type: event.type,
        data,
        metadata: {
          actor: { subject: context.actor.subject, roles: [...context.actor.roles], organisation: context.actor.organisation },
          recordedAt,
          requestId: context.requestId,
          correlationId: context.correlationId,
          causationId: context.requestId,
          ...(context.idempotencyKey ? { idempotencyKey: context.idempotencyKey } : {}),
          ...(context.idempotencyKey && context.requestFingerprint ? { requestFingerprint: context.requestFingerprint } : {}),
          schemaVersion: event.schemaVersion,
          ...(statementContentHash ? { statementContentHash } : {}),
        },
      };
    });
  }
}
