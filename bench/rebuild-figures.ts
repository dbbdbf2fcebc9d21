/**
 * rebuild, rebuild_rss_mb, read_models_disk, rebuild_pg: one generated store (generated-store.ts),
 * replayed into the SQLite read models and into PostgreSQL ones by the real command an operator
 * runs (`npm run projections:rebuild`, in a process of its own, from the production build), each
 * against a sequential read of the same store in the same run.
 */
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { freshBuildOf } from '../scripts/run-app';
import { createTemporaryDatabase } from '../test/support/temporary-postgres-database';
import { generateStore } from './generated-store';
import { figure, progress, type Figure } from './reporter';

const ROOT = path.resolve(__dirname, '..');
const FULL_SCALE_EVENTS = 1_000_000;
/** A rebuild's peak RSS must stay under this whatever the store's size (docs/performance.md). */
const RSS_LIMIT_MB = 300;
export interface PassResult {
  events: number;
  seconds: number;
  maxRssMb: number;
}

const perSecond = (pass: PassResult) => pass.events / Math.max(pass.seconds, 1e-9);

/** The raw read (raw-read.ts) in a fresh process, as the rebuilds run: not in this one, whose heap holds the generator's leftovers. */
function rawReadInChild(storeFile: string): Promise<PassResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...process.execArgv, path.join(__dirname, 'raw-read.ts'), storeFile], { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => { output += chunk.toString(); });
    child.once('error', reject);
    child.once('exit', (code) => {
      if (code !== 0) return reject(new Error(`bench/raw-read.ts exited ${code}`));
      resolve(JSON.parse(output.trim().split('\n').at(-1) ?? '') as PassResult);
    });
  });
}

/**
 * The raw read and the two rebuilds run in this many rounds, one of each per round, and the
 * fastest of each counts (the highest peak RSS for the memory): on a shared virtual machine one
 * run in three or four is 20 to 40 % slower for no reason of its own, and such a spell can last
 * a minute. Alternated, both sides of each ratio meet the same spells, as the commands and the
 * raw appends of `command` do.
 */
const ROUNDS = 3;

function fastestOf(passes: readonly PassResult[]): PassResult {
  const fastest = passes.reduce((best, pass) => (perSecond(pass) > perSecond(best) ? pass : best));
  return { ...fastest, maxRssMb: Math.max(...passes.map((pass) => pass.maxRssMb)) };
}

/**
 * How the rebuild command will run (scripts/run-app.js): from the build when it is fresh, as in
 * production, else from the sources through ts-node, whose compiler adds about 140 MB to the
 * peak RSS. The bench does not build (its smoke test runs beside other tests that use dist/):
 * `npm run build` first for figures of record; the figures say which ran.
 */
function rebuildForm(): string {
  return freshBuildOf('projector', 'rebuild') ? 'from the build' : 'from the sources through ts-node (npm run build first for figures of record)';
}

const DONE_LINE = /rebuild: done, (\d+) events replayed .* \(([\d.]+) s, \d+ events\/s, peak RSS ([\d.]+) MB\)/;

/** `npm run projections:rebuild` on `dataDir` (and READ_MODELS_URL when given); its own figures, from its last line. */
function runRebuildCommand(dataDir: string, readModelsUrl?: string): Promise<PassResult> {
  return new Promise((resolve, reject) => {
    const env = { ...process.env, DATA_DIR: dataDir, ...(readModelsUrl ? { READ_MODELS_URL: readModelsUrl } : {}) };
    const child = spawn('npm', ['run', '--silent', 'projections:rebuild'], { cwd: ROOT, env, stdio: ['ignore', 'ignore', 'pipe'] });
    let output = '';
    let reported = 0;
    child.stderr.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const done = Number(/(\d+)\/\d+ events[^\n]*\n[^\n]*$/.exec(output)?.[1] ?? 0);
      if (done - reported >= 50_000) {
        reported = done;
        progress(`rebuild ${readModelsUrl ? 'postgres' : 'sqlite'}: ${done} events`);
      }
    });
    child.once('error', reject);
    child.once('exit', (code) => {
      const summary = DONE_LINE.exec(output);
      if (code !== 0 || !summary) return reject(new Error(`npm run projections:rebuild exited ${code}:\n${output.slice(-2000)}`));
      resolve({ events: Number(summary[1]), seconds: Number(summary[2]), maxRssMb: Number(summary[3]) });
    });
  });
}

/** Bytes of an SQLite database with its -wal and -shm files. */
function sqliteBytes(file: string): number {
  return ['', '-wal', '-shm'].reduce((sum, suffix) => sum + (fs.existsSync(file + suffix) ? fs.statSync(file + suffix).size : 0), 0);
}

export async function rebuildFigures(dir: string, scale: number, postgresAdminUrl: string): Promise<Record<string, Figure>> {
  // The rebuild command finds the store and the SQLite read models in DATA_DIR, under their usual names.
  const dataDir = path.join(dir, 'rebuild-data');
  fs.mkdirSync(dataDir, { recursive: true });
  const storeFile = path.join(dataDir, 'events.sqlite');
  const target = Math.max(500, Math.round(FULL_SCALE_EVENTS * scale));
  progress(`rebuild: generating about ${target} events through decide/evolve`);
  const generated = await generateStore(storeFile, target, (events) => progress(`rebuild: generated ${events} events`));
  progress(`rebuild: ${generated.events} events over ${generated.conventions} conventions (${generated.refusals} refused commands): ${JSON.stringify(generated.types)}`);
  const workload = `${generated.events} events, ${generated.conventions} conventions`;

  const readModelsFile = path.join(dataDir, 'read-models.sqlite');
  // Checked when the rebuilds start (the generation takes minutes) and again when they end: a
  // source edited meanwhile makes scripts/run-app.js fall back to the sources.
  const formAtStart = rebuildForm();
  let databases = 0;
  const passes = { raw: [] as PassResult[], sqlite: [] as PassResult[], postgres: [] as PassResult[] };
  let readModelBytes = 0;
  for (let round = 1; round <= ROUNDS; round++) {
    progress(`rebuild: round ${round} of ${ROUNDS}: the sequential read of the whole log, then every read model into SQLite (npm run projections:rebuild, ${formAtStart}), then into PostgreSQL`);
    passes.raw.push(await rawReadInChild(storeFile));
    progress(`rebuild: raw read ${Math.round(perSecond(passes.raw.at(-1)!))} events/s`);
    // Each pass from an empty DATA_DIR but for the store, as the first rebuild of a deployment.
    for (const suffix of ['', '-wal', '-shm']) fs.rmSync(readModelsFile + suffix, { force: true });
    passes.sqlite.push(await runRebuildCommand(dataDir));
    readModelBytes = sqliteBytes(readModelsFile);
    progress(`rebuild: SQLite ${Math.round(perSecond(passes.sqlite.at(-1)!))} events/s, peak RSS ${passes.sqlite.at(-1)!.maxRssMb.toFixed(0)} MB`);
    const database = await createTemporaryDatabase(postgresAdminUrl, `bench_${process.pid}_${databases++}`);
    try {
      passes.postgres.push(await runRebuildCommand(dataDir, database.url));
    } finally {
      await database.drop();
    }
    progress(`rebuild: PostgreSQL ${Math.round(perSecond(passes.postgres.at(-1)!))} events/s`);
  }
  const raw = fastestOf(passes.raw);
  const sqlite = fastestOf(passes.sqlite);
  const postgres = fastestOf(passes.postgres);
  const storeBytes = sqliteBytes(storeFile);
  progress(`rebuild: the fastest of ${ROUNDS}: raw read ${Math.round(perSecond(raw))}, SQLite ${Math.round(perSecond(sqlite))}, PostgreSQL ${Math.round(perSecond(postgres))} events/s`);
  const form = rebuildForm() === formAtStart ? formAtStart : `${formAtStart}, then not (a source changed during the run: not figures of record)`;

  return {
    rebuild: figure(perSecond(sqlite), 'events/s', perSecond(raw), `${workload}; limit: sequential read + JSON.parse`),
    rebuild_rss_mb: figure(sqlite.maxRssMb, 'MB', RSS_LIMIT_MB, `peak RSS of npm run projections:rebuild into SQLite, ${form}`),
    read_models_disk: figure(readModelBytes, 'bytes', storeBytes, 'SQLite read models ÷ event store, after the rebuild'),
    rebuild_pg: figure(perSecond(postgres), 'events/s', perSecond(raw), `${workload} into PostgreSQL; limit: sequential read + JSON.parse`),
  };
}
