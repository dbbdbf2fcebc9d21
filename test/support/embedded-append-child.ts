/**
 * A separate process appending to an embedded store file, for the embedded adapter's
 * integration tests (kill -9 durability, cross-process live delivery).
 *
 *   node -r ts-node/register/transpile-only -r tsconfig-paths/register \
 *     test/support/embedded-append-child.ts <file> <streamId> <count | forever>
 *
 * Prints `ack <eventId> <revision> <position>` once each append is acknowledged by the store,
 * which is exactly the promise the durability test holds the store to.
 */
import { randomUUID } from 'node:crypto';
import { SqliteEventStore } from '@cl/event-store';

async function main(): Promise<void> {
  const [file, streamId, countArgument] = process.argv.slice(2);
  if (!file || !streamId || !countArgument) throw new Error('usage: <file> <streamId> <count | forever>');
  const count = countArgument === 'forever' ? Number.POSITIVE_INFINITY : Number(countArgument);
  const store = new SqliteEventStore(file);
  process.stdout.write('ready\n');
  for (let revision = 0; revision < count; revision++) {
    const id = randomUUID();
    const result = await store.appendToStream(
      streamId,
      [
        {
          id,
          type: 'ChildAppended',
          data: { revision, pid: process.pid },
          metadata: {
            actor: { subject: 'append-child', roles: [] },
            recordedAt: new Date().toISOString(),
            requestId: id,
            correlationId: id,
            causationId: id,
            schemaVersion: 1,
          },
        },
      ],
      revision === 0 ? 'no_stream' : revision - 1,
    );
    process.stdout.write(`ack ${id} ${result.nextExpectedRevision} ${result.position}\n`);
  }
  await store.close();
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
