import type { RecordedEvent } from '@cl/event-store';
import type { ReadModelTx } from './projection-context';

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
  await tx.updateTable('rm_conventions')
    .set({ last_revision: recorded.revision, last_position: recorded.position })
    .where('convention_id', '=', conventionId).execute();
}
