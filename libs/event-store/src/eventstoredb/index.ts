export { EventStoreDbEventStore, type EventStoreDbEventStoreOptions } from './eventstoredb-event-store';
export { DEFAULT_RESUME_POLICY, type ResumePolicy } from './resuming-all-subscription';
