import type { AllStreamResolvedEvent, ResolvedEvent } from '@eventstore/db-client';
import type { EventMetadata, RecordedEvent } from '../event-store.port';
import { toSafeNumber } from './expected-revision';

/** EventStoreDB's own bookkeeping ($metadata, $settings, $stats...): never an application fact. */
export function isSystemEvent(resolved: ResolvedEvent | AllStreamResolvedEvent): boolean {
  const event = resolved.event;
  return !event || event.type.startsWith('$') || event.streamId.startsWith('$');
}

export function toRecordedEvent(resolved: ResolvedEvent | AllStreamResolvedEvent): RecordedEvent {
  const event = resolved.event;
  if (!event) throw new Error('EventStoreDB returned a record without an event');
  if (!event.isJson) throw new Error(`event ${event.id} in ${event.streamId} is not JSON`);
  // Every event records its own position; `commitPosition` of the envelope is only there on $all reads.
  const commit = event.position?.commit ?? resolved.commitPosition;
  if (commit === undefined) throw new Error(`event ${event.id} in ${event.streamId} came without a log position`);
  const metadata = event.metadata as unknown as EventMetadata;
  return {
    id: event.id,
    streamId: event.streamId,
    type: event.type,
    data: event.data as Record<string, unknown>,
    metadata,
    revision: toSafeNumber(event.revision, 'revision'),
    position: toSafeNumber(commit, 'position'),
    // The fact's own clock, not the server's `created`: a replayed or migrated event keeps its time.
    recordedAt: metadata.recordedAt,
  };
}
