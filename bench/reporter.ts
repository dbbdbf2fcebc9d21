/**
 * The bench's one reporter: progress on stderr while it runs, then the table on stdout and
 * bench/results.json (docs/performance.md describes every figure and the goals read from it).
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

export interface Figure {
  value: number;
  unit: string;
  /** The raw limit of the same store (or the framework's floor) measured in the same run. */
  limit: number;
  /** value ÷ limit: what the goals of docs/performance.md are stated on. */
  ratio: number;
  /** What was measured, for the table (not part of the goals). */
  workload?: string;
  /** The goal of issue 12 (docs/performance.md), stated on the ratio. */
  goal?: string;
}

/**
 * The goals, each on the figure's ratio (value ÷ limit): for growth the limit is the latency at
 * 10 events, for rebuild_rss_mb the 300 MB ceiling itself.
 */
export const GOALS: Record<string, string> = {
  rebuild: '≥ 0.5',
  command: '≥ 0.7',
  growth: '≤ 2',
  http_scaling: '≥ 3',
  http_vs_raw: '≥ 0.5',
  balance_query: '≥ 0.5',
  rebuild_rss_mb: '≤ 1',
  read_models_disk: '≤ 0.3',
  rebuild_pg: '≥ 0.25',
};

export interface MachineInfo {
  cpus: number;
  model: string;
  memoryMb: number;
  node: string;
  platform: string;
  release: string;
  arch: string;
  loadAverage: number[];
}

export interface BenchResults {
  machine: MachineInfo;
  scale: number;
  startedAt: string;
  seconds: number;
  figures: Record<string, Figure>;
}

export const RESULTS_FILE = path.join(__dirname, 'results.json');

export function machineInfo(): MachineInfo {
  return {
    cpus: os.cpus().length,
    model: os.cpus()[0]?.model ?? 'unknown',
    memoryMb: Math.round(os.totalmem() / 2 ** 20),
    node: process.version,
    platform: os.platform(),
    release: os.release(),
    arch: os.arch(),
    loadAverage: os.loadavg().map((load) => Number(load.toFixed(2))),
  };
}

const started = Date.now();

/** A progress line on stderr, stamped with the seconds since the bench started. */
export function progress(line: string): void {
  process.stderr.write(`[bench ${((Date.now() - started) / 1000).toFixed(1).padStart(6)} s] ${line}\n`);
}

/** A figure as value against limit; a limit of 0 gives ratio 0 rather than Infinity (JSON has no Infinity). */
export function figure(value: number, unit: string, limit: number, workload?: string): Figure {
  const round = (n: number) => Number(n.toPrecision(6));
  return { value: round(value), unit, limit: round(limit), ratio: limit > 0 ? round(value / limit) : 0, ...(workload ? { workload } : {}) };
}

/** The figure with its goal attached, when it has one. */
export function withGoals(figures: Record<string, Figure>): Record<string, Figure> {
  return Object.fromEntries(Object.entries(figures).map(([name, f]) => [name, GOALS[name] ? { ...f, goal: GOALS[name] } : f]));
}

/** The figures as a Markdown table (what docs/performance.md shows). */
export function formatTable(results: BenchResults): string {
  const number = (n: number) => (Math.abs(n) >= 100 ? Math.round(n).toLocaleString('en-US') : String(Number(n.toPrecision(3))));
  const rows = Object.entries(results.figures).map(([name, f]) =>
    `| \`${name}\` | ${number(f.value)} ${f.unit} | ${number(f.limit)} | ${number(f.ratio)} | ${f.goal ?? ''} | ${f.workload ?? ''} |`);
  const m = results.machine;
  return [
    `scale ${results.scale}, ${m.cpus} × ${m.model}, ${m.memoryMb} MB, node ${m.node} on ${m.platform}, load average at start ${m.loadAverage.join(' ')}, ${results.seconds.toFixed(0)} s`,
    '',
    '| figure | measured | limit in the same run | ratio | goal (ratio) | workload |',
    '|---|---|---|---|---|---|',
    ...rows,
  ].join('\n');
}

export function writeResults(results: BenchResults, file = RESULTS_FILE): void {
  fs.writeFileSync(file, `${JSON.stringify(results, null, 2)}\n`);
}
