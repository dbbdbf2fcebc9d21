/**
 * rebuild, rebuild_rss_mb, read_models_disk, rebuild_pg: one generated store (generated-store.ts),
 * replayed into the SQLite read models and into PostgreSQL ones, each against a sequential read
 * of the same store in the same run (the passes: rebuild-worker.ts).
 */
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { createTemporaryDatabase } from '../test/support/temporary-postgres-database';
import { generateStore } from './generated-store';
import { figure, progress, type Figure } from './reporter';
import { runPassHere, type PassResult, type RebuildJob } from './rebuild-worker';

const ROOT = path.resolve(__dirname, '..');
const FULL_SCALE_EVENTS = 1_000_000;
/** A rebuild's peak RSS must stay under this whatever the store's size (docs/performance.md). */
const RSS_LIMIT_MB = 300;

/** One pass in a fresh process with this process's loaders (ts-node when run from sources). */
function runPassInChild(job: RebuildJob): Promise<PassResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...process.execArgv, path.join(__dirname, 'rebuild-worker.ts'), JSON.stringify(job)], { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => { output += chunk.toString(); });
    child.once('error', reject);
    child.once('exit', (code) => {
      if (code !== 0) return reject(new Error(`rebuild-worker ${job.kind} exited ${code}`));
      resolve(JSON.parse(output.trim().split('\n').at(-1) ?? '') as PassResult);
    });
  });
}

/** Bytes of an SQLite database with its -wal and -shm files. */
function sqliteBytes(file: string): number {
  return ['', '-wal', '-shm'].reduce((sum, suffix) => sum + (fs.existsSync(file + suffix) ? fs.statSync(file + suffix).size : 0), 0);
}

const perSecond = (pass: PassResult) => pass.events / Math.max(pass.seconds, 1e-9);

export async function rebuildFigures(dir: string, scale: number, postgresAdminUrl: string): Promise<Record<string, Figure>> {
  const storeFile = path.join(dir, 'rebuild-store.sqlite');
  const target = Math.max(500, Math.round(FULL_SCALE_EVENTS * scale));
  progress(`rebuild: generating about ${target} events through decide/evolve`);
  const generated = await generateStore(storeFile, target, (events) => progress(`rebuild: generated ${events} events`));
  progress(`rebuild: ${generated.events} events over ${generated.conventions} conventions (${generated.refusals} refused commands): ${JSON.stringify(generated.types)}`);
  const workload = `${generated.events} events, ${generated.conventions} conventions`;

  progress('rebuild: sequential read of the whole log');
  const raw = await runPassHere({ kind: 'raw-read', storeFile });
  progress(`rebuild: raw read ${Math.round(perSecond(raw))} events/s`);

  const readModelsFile = path.join(dir, 'rebuild-read-models.sqlite');
  progress('rebuild: every read model into SQLite');
  const sqlite = await runPassInChild({ kind: 'rebuild', storeFile, readModels: { kind: 'sqlite', file: readModelsFile } });
  progress(`rebuild: SQLite ${Math.round(perSecond(sqlite))} events/s, peak RSS ${sqlite.maxRssMb.toFixed(0)} MB`);
  const readModelBytes = sqliteBytes(readModelsFile);
  const storeBytes = sqliteBytes(storeFile);

  progress('rebuild: every read model into PostgreSQL');
  const database = await createTemporaryDatabase(postgresAdminUrl, `bench_${process.pid}_${Date.now()}`);
  let postgres: PassResult;
  try {
    postgres = await runPassHere({ kind: 'rebuild', storeFile, readModels: { kind: 'postgres', url: database.url } });
  } finally {
    await database.drop();
  }
  progress(`rebuild: PostgreSQL ${Math.round(perSecond(postgres))} events/s`);

  return {
    rebuild: figure(perSecond(sqlite), 'events/s', perSecond(raw), `${workload}; limit: sequential read + JSON.parse`),
    rebuild_rss_mb: figure(sqlite.maxRssMb, 'MB', RSS_LIMIT_MB, 'peak RSS of the SQLite rebuild process'),
    read_models_disk: figure(readModelBytes, 'bytes', storeBytes, 'SQLite read models ÷ event store, after the rebuild'),
    rebuild_pg: figure(perSecond(postgres), 'events/s', perSecond(raw), `${workload} into PostgreSQL; limit: sequential read + JSON.parse`),
  };
}
