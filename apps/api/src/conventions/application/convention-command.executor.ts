import { Inject, Injectable } from '@nestjs/common';
import { ApiError } from '../../http/api-error';
import { conventionStream, decide, fold, type ConventionCommand, type ConventionEvent, type ConventionState } from '@cl/domain';
import { EVENT_STORE, WrongExpectedRevisionError, type EventStore, type ExpectedRevision, type NewEvent, type RecordedEvent } from '@cl/event-store';
import type { Actor } from '../../auth/roles';
import { businessDayOf, CLOCK, type Clock } from '../../infrastructure/clock';
import { uuidV5 } from './deterministic-id';
import { toDomainEvent } from './event-mapping';
import { KeyedMutex } from './keyed-mutex';

export interface CommandContext {
  actor: Actor;
  requestId: string;
  correlationId: string;
  idempotencyKey?: string;
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

export const MAX_ATTEMPTS = 8;

/**
 * load → decide → append with the expected revision, retried on a version conflict. Every command
 * handler goes through here, so the write path of the ledger is one piece of code.
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
      const earlier = this.recordedUnderSameKey(history, context);
      if (earlier.length > 0) {
        // Already recorded under this Idempotency-Key (its HTTP answer was lost, or the answer
        // store was rebuilt): report what was recorded instead of deciding again.
        const upTo = earlier[earlier.length - 1].revision;
        const state = fold(history.filter((e) => e.revision <= upTo).map(toDomainEvent));
        return { events: earlier.map(toDomainEvent), position: earlier[earlier.length - 1].position, state };
      }
      const before = fold(history.map(toDomainEvent));
      // M4: business dates are judged against today in Europe/Paris, taken on each attempt.
      const events = decide(command, before, { today: businessDayOf(this.clock.now()) });
      const last = history.at(-1);
      if (events.length === 0) return { events, position: last?.position ?? 0, state: before };
      const expected: ExpectedRevision = last ? last.revision : 'no_stream';
      try {
        const result = await this.store.appendToStream(streamId, this.toNewEvents(streamId, expected, events, context), expected);
        return { events, position: result.position, state: fold(events, before) };
      } catch (error) {
        if (!(error instanceof WrongExpectedRevisionError)) throw error;
        if (attempt === MAX_ATTEMPTS) throw new ConcurrencyExhaustedError(streamId, attempt);
        await new Promise((resolve) => setTimeout(resolve, Math.random() * 10 * attempt));
      }
    }
  }

  private recordedUnderSameKey(history: RecordedEvent[], context: CommandContext): RecordedEvent[] {
    if (!context.idempotencyKey) return [];
    return history.filter((e) => e.metadata.idempotencyKey === context.idempotencyKey && e.metadata.actor.subject === context.actor.subject);
  }

  private toNewEvents(streamId: string, expected: ExpectedRevision, events: ConventionEvent[], context: CommandContext): NewEvent[] {
    const commandIdentity = context.idempotencyKey ? `key:${context.actor.subject}:${context.idempotencyKey}` : `request:${context.requestId}`;
    const recordedAt = this.clock.now().toISOString();
    return events.map((event, index) => ({
      id: uuidV5(`${commandIdentity}|${streamId}|${String(expected)}|${index}`),
      type: event.type,
      data: event.data as unknown as Record<string, unknown>,
      metadata: {
        actor: { subject: context.actor.subject, roles: [...context.actor.roles], organisation: context.actor.organisation },
        recordedAt,
        requestId: context.requestId,
        correlationId: context.correlationId,
        causationId: context.requestId,
        ...(context.idempotencyKey ? { idempotencyKey: context.idempotencyKey } : {}),
        schemaVersion: event.schemaVersion,
      },
    }));
  }
}
