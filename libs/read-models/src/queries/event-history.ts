import { conventionStream } from '@cl/domain';
import type { EventMetadata, RecordedEvent } from '@cl/event-store';
import type { EventHistoryTable } from '../database/read-model-tables';
import type { EventView } from './views';

/**
 * A row of rm_event_history back as the event the store recorded: the same data (as stored, not
 * upcast) and metadata, so that the history can be projected again (known-at.ts) and shown
 * through one mapping (eventViewOf) whether it comes from the read models or from the store.
 */
export function recordedEventOfHistory(row: EventHistoryTable): RecordedEvent {
  const optional = (value: string | null) => value ?? undefined;
  const metadata = {
    actor: {
      subject: row.actor_subject, roles: JSON.parse(row.actor_roles) as string[],
      ...(row.actor_organisation !== null ? { organisation: row.actor_organisation } : {}),
    },
    recordedAt: row.recorded_at,
    requestId: optional(row.request_id),
    correlationId: optional(row.correlation_id),
    causationId: optional(row.causation_id),
    ...(row.idempotency_key !== null ? { idempotencyKey: row.idempotency_key } : {}),
    schemaVersion: row.schema_version,
  } as EventMetadata;
  return {
    id: row.event_id,
    streamId: conventionStream(row.convention_id),
    type: row.type,
    data: JSON.parse(row.data) as Record<string, unknown>,
    metadata,
    revision: row.revision,
    position: Number(row.position),
    recordedAt: row.recorded_at,
  };
}

/** One event as docs/api.md shows it (GET …/events, its NDJSON form, and the global GET /events). */
export function eventViewOf(recorded: RecordedEvent): EventView {
  const { actor } = recorded.metadata;
  return {
    eventId: recorded.id,
    type: recorded.type,
    schemaVersion: recorded.metadata.schemaVersion,
    data: recorded.data,
    revision: recorded.revision,
    position: recorded.position,
    recordedAt: recorded.recordedAt,
    actor: { subject: actor.subject, roles: actor.roles, ...(actor.organisation !== undefined ? { organisation: actor.organisation } : {}) },
    request: {
      requestId: recorded.metadata.requestId ?? null,
      correlationId: recorded.metadata.correlationId ?? null,
      causationId: recorded.metadata.causationId ?? null,
      idempotencyKey: recorded.metadata.idempotencyKey ?? null,
    },
  };
}
