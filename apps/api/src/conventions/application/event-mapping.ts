import { CONVENTION_EVENT_TYPES, type ConventionEvent } from '@cl/domain';
import type { RecordedEvent } from '@cl/event-store';

/**
 * Recorded event → domain event. This is where upcasters go when a schema version changes: an
 * old version is lifted to the current shape here, and history is never rewritten.
 */
export function toDomainEvent(recorded: RecordedEvent): ConventionEvent {
  if (!(CONVENTION_EVENT_TYPES as readonly string[]).includes(recorded.type)) {
    throw new Error(`unknown event type ${recorded.type} at position ${recorded.position}`);
  }
  const schemaVersion = recorded.metadata?.schemaVersion ?? 1;
  return { type: recorded.type, schemaVersion, data: recorded.data } as ConventionEvent;
}
