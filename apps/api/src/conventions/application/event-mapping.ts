import { upcast, type ConventionEvent } from '@cl/domain';
import type { RecordedEvent } from '@cl/event-store';

/** Recorded event → domain event, through the domain's upcasters. */
export const toDomainEvent = (recorded: Pick<RecordedEvent, 'type' | 'data' | 'metadata'>): ConventionEvent =>
  upcast({ type: recorded.type, schemaVersion: recorded.metadata?.schemaVersion, data: recorded.data });
