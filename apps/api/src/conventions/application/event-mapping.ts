import { upcast, type ConventionEvent } from '@cl/domain';
import type { RecordedEvent } from '@cl/event-store';

/** Recorded event → domain event, through the domain's upcasters. */
export const toDomainEvent = (recorded: RecordedEvent): ConventionEvent =>
  upcast({ type: recorded.type, schemaVersion: recorded.metadata?.schemaVersion, data: recorded.data });
