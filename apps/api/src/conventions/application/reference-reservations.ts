import { createHash } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { conventionStream, decide, DomainError, ErrorCodes, upcast, type ConventionRegistered, type RegisterConvention } from '@cl/domain';
import { EVENT_STORE, WrongExpectedRevisionError, type EventStore, type ExpectedRevision, type RecordedEvent } from '@cl/event-store';
import { accessOf, assertAccess } from '../../auth/access-policy';
import { ApiError } from '../../http/api-error';
import { businessDayOf, CLOCK, type Clock } from '../../infrastructure/clock';
import { ConcurrencyExhaustedError, ConventionCommandExecutor, MAX_ATTEMPTS, recordedUnderSameKey, type CommandContext, type CommandOutcome } from './convention-command.executor';
import { uuidV5 } from '../../infrastructure/deterministic-id';

/** The one event of a reservation stream. Not a convention event: the projector skips its stream. */
export const REFERENCE_RESERVED = 'ReferenceReserved';

export interface ReferenceReserved {
  conventionId: string;
  reference: string;
  funderOrganisation: string;
}

const RESERVATION_STREAM_PREFIX = 'reference-';

/**
 * T6: the stream reserving one reference for one funder organisation. Named by a hash, so any
 * text fits a stream name; it does NOT start with `convention-` (conventionIdOf would read it
 * as a convention, and EventStoreDB's `$ce-convention` category would mix it with them).
 */
export const referenceStream = (funderOrganisation: string, reference: string): string =>
  `${RESERVATION_STREAM_PREFIX}${createHash('sha256').update(`${funderOrganisation}\u0000${reference}`, 'utf8').digest('hex')}`;

/** 409: the funder organisation already registered a convention under this reference (T6). */
export class ReferenceTakenError extends ApiError {
  constructor(reservation: ReferenceReserved) {
    super(409, 'REFERENCE_TAKEN',
      `funder organisation ${reservation.funderOrganisation} already registered a convention under the reference "${reservation.reference}" (${reservation.conventionId}); a reference is used once per funder organisation`,
      { rule: 'T6', reference: reservation.reference, funderOrganisation: reservation.funderOrganisation, conventionId: reservation.conventionId });
  }
}

/**
 * T6 across processes and on both stores. A registration first reserves its (funder
 * organisation, reference) in a stream of its own, written with expected revision `no_stream`:
 * the store lets exactly one writer create it, whatever process it runs in. Only then is the
 * convention registered, under the id the reservation names. docs/architecture.md, "Unique
 * references (T6)", explains the crash cases.
 */
@Injectable()
export class ReferenceReservations {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly executor: ConventionCommandExecutor,
  ) {}

  async register(conventionId: string, command: RegisterConvention, context: CommandContext): Promise<CommandOutcome> {
    // A registration refused must not reserve anything. First who may: a funder registers only
    // in its own organisation's name (403, auth/access-policy.ts); then the domain's refusals
    // (400/422), deciding it on the empty history as the executor will.
    assertAccess(context.actor, undefined, accessOf(command));
    decide({ ...command, conventionId }, null, { today: businessDayOf(this.clock.now()) });
    // The same key for another request (its convention id derives from the key): 422 before any
    // reservation is taken, so that nothing is recorded (the executor would refuse it after).
    if (context.idempotencyKey) recordedUnderSameKey(await this.store.readStream(conventionStream(conventionId)), context);
    const wanted: ReferenceReserved = { conventionId, reference: command.reference, funderOrganisation: command.funder.organisation };
    const reservation = await this.reserve(wanted, context);
    try {
      return await this.executor.execute(reservation.conventionId, { ...command, conventionId: reservation.conventionId }, context);
    } catch (error) {
      // The reserved id is registered already, and not by this caller under this key.
      if (error instanceof DomainError && error.code === ErrorCodes.CONVENTION_ALREADY_REGISTERED) throw new ReferenceTakenError(reservation);
      throw error;
    }
  }

  /**
   * The reservation to register under: ours, or one left by a registration that never
   * happened (adopted: its convention id is then registered once, by whoever comes first), or
   * one of a convention registered since under this very reference (the executor then either
   * replays it, for the same caller and Idempotency-Key, or refuses: REFERENCE_TAKEN).
   */
  private async reserve(wanted: ReferenceReserved, context: CommandContext): Promise<ReferenceReserved> {
    const streamId = referenceStream(wanted.funderOrganisation, wanted.reference);
    for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
      const held = (await this.store.readStream(streamId, { direction: 'backwards', maxCount: 1 }))[0];
      const holder = held ? reservationOf(held) : undefined;
      if (holder && (holder.conventionId === wanted.conventionId || !(await this.registeredUnderAnotherReference(holder)))) return holder;
      // Free, or held by a convention registered under another reference (its registration
      // took another body under the same Idempotency-Key): the reservation is ours to take.
      const expected: ExpectedRevision = held ? held.revision : 'no_stream';
      try {
        await this.store.appendToStream(streamId, [{
          id: uuidV5(`reservation|${streamId}|${String(expected)}|${wanted.conventionId}`),
          type: REFERENCE_RESERVED,
          data: { ...wanted },
          metadata: {
            actor: { subject: context.actor.subject, roles: [...context.actor.roles], organisation: context.actor.organisation },
            recordedAt: this.clock.now().toISOString(),
            requestId: context.requestId,
            correlationId: context.correlationId,
            causationId: context.requestId,
            ...(context.idempotencyKey ? { idempotencyKey: context.idempotencyKey } : {}),
            ...(context.idempotencyKey && context.requestFingerprint ? { requestFingerprint: context.requestFingerprint } : {}),
            schemaVersion: 1,
          },
        }], expected);
        return wanted;
      } catch (error) {
        if (!(error instanceof WrongExpectedRevisionError)) throw error;
        // Someone else reserved it first: read who, and decide again.
      }
    }
    throw new ConcurrencyExhaustedError(streamId, MAX_ATTEMPTS);
  }

  /** Whether the holder's convention exists and carries another (organisation, reference): a stale reservation. */
  private async registeredUnderAnotherReference(holder: ReferenceReserved): Promise<boolean> {
    const first = (await this.store.readStream(conventionStream(holder.conventionId), { maxCount: 1 }))[0];
    if (!first) return false;
    const registered = upcast({ type: first.type, schemaVersion: first.metadata?.schemaVersion, data: first.data }) as ConventionRegistered;
    return registered.data.reference !== holder.reference || registered.data.funder.organisation !== holder.funderOrganisation;
  }
}

function reservationOf(recorded: RecordedEvent): ReferenceReserved {
  const { conventionId, reference, funderOrganisation } = recorded.data as Partial<ReferenceReserved>;
  if (recorded.type !== REFERENCE_RESERVED || typeof conventionId !== 'string' || typeof reference !== 'string' || typeof funderOrganisation !== 'string') {
    throw new Error(`stream ${recorded.streamId} holds ${recorded.type}, not a reference reservation`);
  }
  return { conventionId, reference, funderOrganisation };
}
