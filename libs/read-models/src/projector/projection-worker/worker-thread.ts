import { parentPort, workerData } from 'node:worker_threads';
import { createEventStore, type EventStore } from '@cl/event-store';
import { createReadModelDb, type ReadModelDb } from '../../database/create-read-model-db';
import { shadowOf } from '../../database/shadow-tables';
import { projectAhead } from './ahead-projection';
import type { BatchesCommitted, FromProjectionWorker, ProjectionWorkerData } from './messages';

/**
 * The projection worker's thread (started by rebuild-in-worker.ts): opens its own connections to
 * the event store and the read models, projects the log ahead of the rebuild's thread and sends
 * it each batch's rows; the rebuild's thread writes them and says which batches are committed.
 */
async function run(port: NonNullable<typeof parentPort>, data: ProjectionWorkerData): Promise<void> {
  let committed = 0;
  const waiting: Array<{ sequence: number; resolve: () => void }> = [];
  port.on('message', (message: BatchesCommitted) => {
    committed = Math.max(committed, message.sequence);
    for (let index = waiting.length - 1; index >= 0; index--) {
      if (waiting[index].sequence <= committed) waiting.splice(index, 1)[0].resolve();
    }
  });
  const send = (message: FromProjectionWorker) => port.postMessage(message);
  let store: EventStore | undefined;
  let db: ReadModelDb | undefined;
  try {
    store = createEventStore({ eventStore: data.eventStore });
    db = createReadModelDb(data.readModels);
    await projectAhead(store, shadowOf(db), {
      after: data.after,
      batchSize: data.batchSize,
      batchesAhead: data.batchesAhead,
      committed: () => committed,
      whenCommitted: (sequence) => (sequence <= committed ? Promise.resolve() : new Promise((resolve) => waiting.push({ sequence, resolve }))),
      emit: send,
    });
    send({ kind: 'done' });
  } catch (error) {
    send({ kind: 'failed', message: (error as Error)?.message ?? String(error), stack: (error as Error)?.stack });
  } finally {
    await store?.close();
    await db?.destroy();
    port.close();
  }
}

if (parentPort) void run(parentPort, workerData as ProjectionWorkerData);
