import { loadConfig } from '@cl/config';
import { createEventStore } from '@cl/event-store';
import { acquireSingleInstanceLock, createReadModelDb, Projector } from '@cl/read-models';
import { WebhookDispatcher } from '../../api/src/webhooks/delivery/webhook-dispatcher';
import { openWebhookStore } from '../../api/src/webhooks/storage/webhook-store';

/**
 * The projector as its own process (PROJECTOR_MODE=off in the API), and the webhook dispatcher
 * beside it. One instance at a time: a second one exits with an error instead of writing
 * alongside the first.
 */
async function main(): Promise<void> {
  const config = loadConfig();
  // Without the lock another projector may start: stop at once and let the supervisor restart us.
  const lock = await acquireSingleInstanceLock(config.readModels, (error) => {
    console.error(`projector: lost the single-instance lock (${error.message}); exiting`);
    process.exit(1);
  });
  const store = createEventStore(config);
  const db = createReadModelDb(config.readModels);
  const projector = new Projector(store, db, {
    batchSize: config.projectorBatchSize,
    onError: (error) => console.error(`projector: batch failed, retrying: ${(error as Error).stack ?? String(error)}`),
  });
  await projector.start();
  console.log(`projector: started at position ${projector.checkpoint()}`);
  const webhooks = new WebhookDispatcher(store, await openWebhookStore(db), config.webhooks);
  webhooks.start();

  // SIGTERM/SIGINT: the batch in progress commits with its checkpoint, then the stores close and
  // the lock is released; exit 0. Bounded by SHUTDOWN_GRACE_MS: a store that hangs exits 1.
  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`projector: ${signal}, stopping after the current batch`);
    setTimeout(() => {
      console.error(`projector: not stopped ${config.shutdownGraceMs} ms after ${signal}; exiting`);
      process.exit(1);
    }, config.shutdownGraceMs).unref();
    await webhooks.stop();
    await projector.stop();
    await store.close();
    await db.destroy();
    await lock.release();
    console.log(`projector: stopped at position ${projector.checkpoint()}`);
    process.exit(0);
  };
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  process.on('SIGINT', () => void shutdown('SIGINT'));
}

main().catch((error: unknown) => {
  console.error(`projector: ${(error as Error).message ?? String(error)}`);
  process.exit(1);
});
