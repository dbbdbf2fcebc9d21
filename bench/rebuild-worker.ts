/**
 * One measured pass over a generated store. The SQLite rebuild runs here in its own process, so
 * that its peak RSS is the pass's own (process.resourceUsage().maxRSS), not the generator's:
 * rebuild-figures.ts starts it with a JSON job as argv[2]; it answers one JSON line on stdout,
 * progress on stderr. The passes whose memory is not measured run in the bench's process.
 *   raw-read: sequential readAll of the whole log (each event's JSON parsed by the store)
 *   rebuild:  Projector.rebuild() into the given read models, as `npm run projections:rebuild` does
 */
import 'reflect-metadata';
import { SqliteEventStore } from '@cl/event-store';
import { createReadModelDb, Projector, type ReadModelsConfig } from '@cl/read-models';

export type RebuildJob =
  | { kind: 'raw-read'; storeFile: string }
  | { kind: 'rebuild'; storeFile: string; readModels: ReadModelsConfig };

export interface PassResult {
  events: number;
  seconds: number;
  maxRssMb: number;
}

const READ_BATCH = 500;

export async function rawRead(store: SqliteEventStore): Promise<number> {
  let events = 0;
  let after: number | undefined;
  for (;;) {
    const batch = await store.readAll({ after, maxCount: READ_BATCH });
    if (batch.length === 0) return events;
    events += batch.length;
    after = batch[batch.length - 1].position;
  }
}

export async function rebuild(store: SqliteEventStore, readModels: ReadModelsConfig): Promise<number> {
  const db = createReadModelDb(readModels);
  try {
    let reported = 0;
    const summary = await new Projector(store, db).rebuild((progress) => {
      if (progress.eventsDone - reported >= 50_000) {
        reported = progress.eventsDone;
        process.stderr.write(`  rebuild ${readModels.kind}: ${progress.eventsDone}/${progress.eventsTotal} events, ${Math.round(progress.eventsPerSecond)} events/s\n`);
      }
    });
    return summary.eventsDone;
  } finally {
    await db.destroy();
  }
}

/** One pass over the store, timed; the RSS is this process's peak so far. */
export async function runPassHere(job: RebuildJob): Promise<PassResult> {
  const store = new SqliteEventStore(job.storeFile);
  try {
    const start = process.hrtime.bigint();
    const events = job.kind === 'raw-read' ? await rawRead(store) : await rebuild(store, job.readModels);
    const seconds = Number(process.hrtime.bigint() - start) / 1e9;
    return { events, seconds, maxRssMb: process.resourceUsage().maxRSS / 1024 };
  } finally {
    await store.close();
  }
}

if (require.main === module) {
  runPassHere(JSON.parse(process.argv[2]) as RebuildJob).then((result) => {
    process.stdout.write(`${JSON.stringify(result)}\n`);
    process.exit(0);
  }, (error: unknown) => {
    process.stderr.write(`rebuild-worker: ${(error as Error).stack ?? String(error)}\n`);
    process.exit(1);
  });
}
