/**
 * Benchmarks (`npm run bench`, under scripts/with-postgres.sh): every figure of issue 12 next to
 * the raw limit of the same store measured in the same run, progress on stderr, a table on
 * stdout and bench/results.json. Speed goals are read from that file, never asserted by tests.
 * BENCH_SCALE (default 1) shrinks every workload. docs/performance.md explains each figure.
 */
import 'reflect-metadata';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { commandFigures } from './command-figures';
import { httpFigures } from './http-figures';
import { rebuildFigures } from './rebuild-figures';
import { formatTable, machineInfo, progress, RESULTS_FILE, withGoals, writeResults, type BenchResults } from './reporter';
import { benchScale } from './scale';

const POSTGRES_MISSING = 'bench: no PostgreSQL: rebuild_pg needs one. Run `npm run bench` (it starts a throw-away server through '
  + 'scripts/with-postgres.sh, which needs the PostgreSQL server binaries: Debian `apt-get install postgresql`), or set '
  + 'TEST_POSTGRES_URL to a server whose databases the bench may create and drop.';

const BENCH_GROUPS = ['command', 'http', 'rebuild'] as const;

/**
 * BENCH_ONLY=http,rebuild runs only those groups (a results file for working on one figure; the
 * issue's results are those of a full run). Unknown names fail rather than measure nothing.
 */
function benchGroups(): Set<string> {
  const asked = process.env.BENCH_ONLY?.split(',').map((name) => name.trim()).filter(Boolean);
  if (!asked?.length) return new Set(BENCH_GROUPS);
  const unknown = asked.filter((name) => !(BENCH_GROUPS as readonly string[]).includes(name));
  if (unknown.length > 0) throw new Error(`bench: BENCH_ONLY names unknown groups ${unknown.join(', ')} (known: ${BENCH_GROUPS.join(', ')})`);
  return new Set(asked);
}

async function main(): Promise<void> {
  const scale = benchScale();
  const postgresAdminUrl = process.env.TEST_POSTGRES_URL;
  if (!postgresAdminUrl) throw new Error(POSTGRES_MISSING);
  const machine = machineInfo();
  const startedAt = new Date();
  const dir = fs.mkdtempSync(path.join(process.env.BENCH_DIR ?? os.tmpdir(), 'convention-ledger-bench-'));
  progress(`scale ${scale}, ${machine.cpus} × ${machine.model}, node ${machine.node}, work in ${dir}`);
  const only = benchGroups();
  try {
    // http_vs_raw needs the raw append rate measured by the command group: it always runs.
    const commands = await commandFigures(dir, scale);
    const http = only.has('http') ? await httpFigures(dir, scale, commands.rawAppendsPerSecond) : {};
    const rebuild = only.has('rebuild') ? await rebuildFigures(dir, scale, postgresAdminUrl) : {};
    const results: BenchResults = {
      machine, scale, startedAt: startedAt.toISOString(), seconds: (Date.now() - startedAt.getTime()) / 1000,
      figures: withGoals({ ...rebuild, ...commands.figures, ...http }),
    };
    const file = process.env.BENCH_RESULTS ?? RESULTS_FILE;
    writeResults(results, file);
    progress(`written ${file}`);
    process.stdout.write(`${formatTable(results)}\n`);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

main().then(() => process.exit(0), (error: unknown) => {
  process.stderr.write(`${(error as Error).stack ?? String(error)}\n`);
  process.exit(1);
});
