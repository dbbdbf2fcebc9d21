import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { GOALS } from '../../bench/reporter';

const ROOT = path.resolve(__dirname, '../..');

/** `npm run bench`'s own command line, from package.json, run by the shell as npm would. */
function runBench(env: Record<string, string>): Promise<{ code: number | null; output: string }> {
  const command = (JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts.bench;
  const child = spawn('sh', ['-c', command], { cwd: ROOT, env: { ...process.env, FORCE_COLOR: '0', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => { output += chunk.toString(); });
  child.stderr.on('data', (chunk: Buffer) => { output += chunk.toString(); });
  return new Promise((resolve) => child.once('exit', (code) => resolve({ code, output })));
}

/**
 * The whole bench (docs/performance.md) at a tiny scale, as CI's smoke run: it completes and
 * writes a well-formed results file with every figure. The figures themselves are never
 * asserted: speed goals are read from bench/results.json, never tested.
 */
describe('npm run bench at BENCH_SCALE=0.001', () => {
  it('completes and writes every figure with a numeric value, limit and ratio, and the machine it ran on', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cl-bench-smoke-'));
    const file = path.join(dir, 'results.json');
    try {
      const { code, output } = await runBench({ BENCH_SCALE: '0.001', BENCH_RESULTS: file });
      expect({ code, output: code === 0 ? '' : output }).toEqual({ code: 0, output: '' });
      // The table was printed, progress shown.
      expect(output).toContain('| `rebuild` |');
      expect(output).toMatch(/\[bench +[\d.]+ s\] rebuild: generating/);

      const results = JSON.parse(fs.readFileSync(file, 'utf8'));
      expect(results.scale).toBe(0.001);
      expect(results.machine).toEqual(expect.objectContaining({
        cpus: expect.any(Number), model: expect.any(String), memoryMb: expect.any(Number), node: process.version, platform: process.platform,
      }));
      expect(Object.keys(results.figures).sort()).toEqual(Object.keys(GOALS).sort());
      for (const [name, figure] of Object.entries(results.figures as Record<string, Record<string, unknown>>)) {
        for (const field of ['value', 'limit', 'ratio']) {
          expect({ name, field, finite: Number.isFinite(figure[field]) }).toEqual({ name, field, finite: true });
        }
        expect({ name, unit: typeof figure.unit, goal: figure.goal }).toEqual({ name, unit: 'string', goal: GOALS[name] });
      }
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }, 120_000);
});
