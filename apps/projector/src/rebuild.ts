import { loadConfig } from '@cl/config';
import { createEventStore } from '@cl/event-store';
import { acquireRebuildLock, createReadModelDb, Projector, type RebuildProgress } from '@cl/read-models';

/**
 * npm run projections:rebuild [-- --from-scratch] — replays the whole log into shadow tables and
 * swaps them in atomically at the end (docs/read-models.md, "Rebuilding"): the API and the live
 * projector keep running and answering meanwhile. A rebuild that was interrupted resumes from its
 * shadow tables; --from-scratch drops them first. One rebuild at a time (its own lock).
 */
const BAR_WIDTH = 30;

function formatDuration(seconds: number | null): string {
  if (seconds === null || !Number.isFinite(seconds)) return '--:--';
  const whole = Math.ceil(seconds);
  const minutes = Math.floor(whole / 60);
  return `${String(minutes).padStart(2, '0')}:${String(whole % 60).padStart(2, '0')}`;
}

function describeProgress(progress: RebuildProgress): string {
  const rate = `${Math.round(progress.eventsPerSecond)} events/s`;
  return `${progress.eventsDone}/${progress.eventsTotal} events, ${rate}, ETA ${formatDuration(progress.etaSeconds)}`;
}

/** A redrawn bar on a terminal; one plain line per report otherwise (CI logs, pipes). */
function progressReporter(stream: NodeJS.WriteStream): (progress: RebuildProgress) => void {
  if (!stream.isTTY) return (progress) => stream.write(`rebuild: ${describeProgress(progress)}\n`);
  return (progress) => {
    const ratio = progress.eventsTotal > 0 ? Math.min(1, progress.eventsDone / progress.eventsTotal) : 1;
    const filled = Math.round(ratio * BAR_WIDTH);
    const bar = `[${'#'.repeat(filled)}${'-'.repeat(BAR_WIDTH - filled)}] ${String(Math.floor(ratio * 100)).padStart(3)}%`;
    stream.write(`\r${bar} ${describeProgress(progress)}\x1b[K`);
  };
}

async function main(): Promise<void> {
  // A mistyped flag must not start a rebuild the operator did not ask for.
  const unknown = process.argv.slice(2).filter((argument) => argument !== '--from-scratch');
  if (unknown.length > 0) throw new Error(`unknown argument ${unknown.join(' ')} (usage: npm run projections:rebuild [-- --from-scratch])`);
  const config = loadConfig();
  const fromScratch = process.argv.includes('--from-scratch');
  const lock = await acquireRebuildLock(config.readModels);
  const store = createEventStore(config);
  const db = createReadModelDb(config.readModels);
  try {
    const projector = new Projector(store, db, { batchSize: config.projectorBatchSize });
    const report = progressReporter(process.stderr);
    const started = process.hrtime.bigint();
    const summary = await projector.rebuild((progress) => {
      if (progress.startPosition > 0 && progress.eventsDone === 0) process.stderr.write(`rebuild: resuming from position ${progress.startPosition}\n`);
      report(progress);
    }, { fromScratch, projectInWorker: { eventStore: config.eventStore, readModels: config.readModels } });
    report(summary);
    if (process.stderr.isTTY) process.stderr.write('\n');
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    // The memory it took, for sizing the container it runs in (docs/performance.md, rebuild_rss_mb).
    const peakRssMb = process.resourceUsage().maxRSS / 1024;
    process.stderr.write(`rebuild: done, ${summary.eventsDone} events replayed up to position ${summary.position}, swapped in `
      + `(${seconds.toFixed(2)} s, ${Math.round(summary.eventsDone / Math.max(seconds, 1e-9))} events/s, peak RSS ${peakRssMb.toFixed(1)} MB)\n`);
  } finally {
    await store.close();
    await db.destroy();
    await lock.release();
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(`rebuild: failed: ${(error as Error).message ?? String(error)}\n`);
    process.exit(1);
  },
);
