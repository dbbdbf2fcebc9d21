import type { RecordedEvent } from '@cl/event-store';
import type { ReadModelTx } from './projection-context';

/** Copies one event, as recorded, into rm_event_history: its own statement per event (apply-batch.ts). */
export async function recordInHistory(tx: ReadModelTx, conventionId: string, recorded: RecordedEvent): Promise<void> {
  await tx.insertInto('rm_event_history').values({
    position: recorded.position,
    convention_id: conventionId,
    revision: recorded.revision,
    event_id: recorded.id,
    type: recorded.type,
    schema_version: recorded.metadata.schemaVersion,
    data: JSON.stringify(recorded.data),
    recorded_at: recorded.recordedAt,
    actor_subject: recorded.metadata.actor.subject,
    actor_roles: JSON.stringify(recorded.metadata.actor.roles),
    actor_organisation: recorded.metadata.actor.organisation ?? null,
    request_id: recorded.metadata.requestId ?? null,
    correlation_id: recorded.metadata.correlationId ?? null,
    causation_id: recorded.metadata.causationId ?? null,
    idempotency_key: recorded.metadata.idempotencyKey ?? null,
  }).execute();
}
