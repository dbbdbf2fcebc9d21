import * as fs from 'node:fs';
import * as path from 'node:path';
import type { AppConfig } from '@cl/config';
import type { EventStore } from './event-store.port';

/**
 * The one place that turns configuration into an event-store adapter. Adapters are required
 * lazily so that the embedded default never loads the gRPC client, and the EventStoreDB
 * deployment never opens a SQLite file.
 */
export function createEventStore(config: Pick<AppConfig, 'eventStore'>): EventStore {
  const settings = config.eventStore;
  if (settings.kind === 'embedded') {
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- required lazily: the embedded default never loads the gRPC client
    const { SqliteEventStore } = require('./embedded/sqlite-event-store') as typeof import('./embedded/sqlite-event-store');
    if (settings.file !== ':memory:') fs.mkdirSync(path.dirname(settings.file), { recursive: true });
    return new SqliteEventStore(settings.file);
  }
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- required lazily: an EventStoreDB deployment never loads SQLite
  const { EventStoreDbEventStore } = require('./eventstoredb/eventstoredb-event-store') as typeof import('./eventstoredb/eventstoredb-event-store');
  return new EventStoreDbEventStore(settings.connectionString);
}
