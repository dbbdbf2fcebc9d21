import { Inject, Injectable } from '@nestjs/common';
import { ApiError } from '../../http/api-error';
import { conventionStream, decide, fold, type ConventionCommand, type ConventionEvent, type ConventionState, type RegisteredConvention } from '@cl/domain';
import { EVENT_STORE, statementSealFor, WrongExpectedRevisionError, type EventStore, type ExpectedRevision, type NewEvent, type RecordedEvent } from '@cl/event-store';
import { accessOf, assertAccess, type ConventionParties } from '../../auth/access-policy';
import { principalIdentity, type Actor } from '../../auth/roles';
import { businessDayOf, CLOCK, type Clock } from '../../infrastructure/clock';
import { uuidV5 } from '../../infrastructure/deterministic-id';
import { toDomainEvent } from './event-mapping';
import { KeyedMutex } from './keyed-mutex';

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
  const { subject, organisation } = context.actor;
  const earlier = history.filter((e) => e.metadata.idempotencyKey === context.idempotencyKey
    && e.metadata.actor.subject === subject && (e.metadata.actor.organisation ?? organisation) === organisation);
  const fingerprint = context.requestFingerprint;
  if (fingerprint !== undefined && earlier.some((e) => e.metadata.requestFingerprint !== undefined && e.metadata.requestFingerprint !== fingerprint)) {
    throw new IdempotencyKeyReusedError();
  }
  return earlier;
}

/**
 * The parties of a convention as recorded (T1), for the access policy: the organisations of the
 * terms in force (which an amendment never changes, A2).
 */
export function partiesOf(state: RegisteredConvention): ConventionParties {
  return { funder: state.funder.organisation, beneficiary: state.beneficiary.organisation, accountingOrganisation: state.beneficiary.accountingOrganisation };
}

/**
 * load → authorize → decide → append with the expected revision, retried on a version conflict.
 * Every command handler goes through here, so the write path of the ledger is one piece of code,
 * and so is the check of who may act on which convention (auth/access-policy.ts).
 */
@Injectable()
export class ConventionCommandExecutor {
  private readonly mutex = new KeyedMutex();

  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  execute(conventionId: string, command: ConventionCommand, context: CommandContext): Promise<CommandOutcome> {
    const streamId = conventionStream(conventionId);
    return this.mutex.run(streamId, () => this.decideAndAppend(streamId, command, context));
  }

  private async decideAndAppend(streamId: string, command: ConventionCommand, context: CommandContext): Promise<CommandOutcome> {
    for (let attempt = 1; ; attempt++) {
      const history = await this.store.readStream(streamId);
      const before = fold(history.map(toDomainEvent));
      // Who may act, on the parties as recorded, before anything else is decided or replayed: a
      // convention out of the caller's reach is a 404 exactly as an unknown one (never a 422
      // that would tell it exists), one in reach but not for this role a 403; nothing is recorded.
      assertAccess(context.actor, before ? partiesOf(before) : undefined, accessOf(command));
      const earlier = recordedUnderSameKey(history, context);
      if (earlier.length > 0) {
        // Already recorded under this Idempotency-Key for this very request (its HTTP answer was
        // lost, or the answer store was rebuilt): report what was recorded instead of deciding
        // again. Another request under the key was refused above (422).
        const upTo = earlier[earlier.length - 1].revision;
        const state = fold(history.filter((e) => e.revision <= upTo).map(toDomainEvent));
        return { events: earlier.map(toDomainEvent), position: earlier[earlier.length - 1].position, state };
      }
      // M4: business dates are judged against today in Europe/Paris, taken on each attempt.
      const events = decide(command, before, { today: businessDayOf(this.clock.now()) });
      const last = history.at(-1);
      if (events.length === 0) return { events, position: last?.position ?? 0, state: before };
      const expected: ExpectedRevision = last ? last.revision : 'no_stream';
      try {
        const result = await this.store.appendToStream(streamId, this.toNewEvents(streamId, expected, events, context, history), expected);
        return { events, position: result.position, state: fold(events, before) };
      } catch (error) {
        if (!(error instanceof WrongExpectedRevisionError)) throw error;
        if (attempt === MAX_ATTEMPTS) throw new ConcurrencyExhaustedError(streamId, attempt);
        await new Promise((resolve) => setTimeout(resolve, Math.random() * 10 * attempt));
      }
    }
  }

  private toNewEvents(streamId: string, expected: ExpectedRevision, events: ConventionEvent[], context: CommandContext, history: RecordedEvent[]): NewEvent[] {
    const stored = history.map(({ type, data }) => ({ type, data }));
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
