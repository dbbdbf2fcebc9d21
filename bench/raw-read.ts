/**
 * The limit of `rebuild` and `rebuild_pg`: a sequential readAll of the whole log in batches of
 * 500, each event's JSON parsed by the store (its own reading speed), in a fresh process started
 * by rebuild-figures.ts with the store's file as argv[2]. Answers one JSON line on stdout.
 * readAll decodes every event whole, data and metadata, as the issue defines the limit; the
 * rebuild reads less (readAllForProjection: docs/performance.md, "Reading what a projection reads").
 */
import { SqliteEventStore } from '@cl/event-store';
import type { PassResult } from './rebuild-figures';

const READ_BATCH = 500;

async function rawRead(storeFile: string): Promise<PassResult> {
  const store = new SqliteEventStore(storeFile);
  try {
    const start = process.hrtime.bigint();
    let events = 0;
    let after: number | undefined;
    for (;;) {
      const batch = await store.readAll({ after, maxCount: READ_BATCH });
      if (batch.length === 0) break;
      events += batch.length;
      after = batch[batch.length - 1].position;
    }
    return { events, seconds: Number(process.hrtime.bigint() - start) / 1e9, maxRssMb: process.resourceUsage().maxRSS / 1024 };
  } finally {
    await store.close();
  }
}

rawRead(process.argv[2]).then((result) => {
  process.stdout.write(`${JSON.stringify(result)}\n`);
}, (error: unknown) => {
  process.stderr.write(`raw-read: ${(error as Error).stack ?? String(error)}\n`);
  process.exitCode = 1;
});
