import { spawn, type ChildProcess } from 'node:child_process';
import * as path from 'node:path';

const ROOT = path.resolve(__dirname, '../..');

/**
 * How to run an app's entry point: through scripts/run-app.js, as the npm scripts do, which runs
 * the production build (`npm run build`, which CI runs before the tests) when it is newer than
 * every source, else the sources through ts-node. The build starts several times faster, which
 * the crash tests, restarting the process again and again, need to stay lean.
 */
export function entryPointOf(app: string, entry = 'main'): string[] {
  return [path.join(ROOT, 'scripts', 'run-app.js'), app, entry];
}

/** An app's entry point as a child process of this one, its output piped. */
export function spawnApp(app: 'api' | 'projector', env: Record<string, string>): ChildProcess {
  return spawn(process.execPath, entryPointOf(app), {
    cwd: ROOT,
    env: { ...process.env, NODE_ENV: 'test', FORCE_COLOR: '0', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

export interface ApiProcess {
  child: ChildProcess;
  /** http://127.0.0.1:<port> */
  url: string;
  /** Everything the process printed so far. */
  output(): string;
  /** SIGKILL, and resolves once the process is gone. */
  kill(): Promise<void>;
}

/**
 * The real entry point (entryPointOf: the fresh build, else as `npm start` runs it) on a free
 * port; resolves once it listens. `env` is added to the caller's environment (DATA_DIR, AUTH_TOKENS,
 * PROJECTOR_MODE...). Used by the crash tests and by `npm run load`.
 */
export function startApiProcess(env: Record<string, string>): Promise<ApiProcess> {
  const child = spawnApp('api', { PORT: '0', ...env });
  let output = '';
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const kill = async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    await exited;
  };
  return new Promise((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const match = /listening on :(\d+)/.exec(output);
      if (match) resolve({ child, url: `http://127.0.0.1:${match[1]}`, output: () => output, kill });
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.once('exit', (code, signal) => reject(new Error(`API exited (${code ?? signal}) before listening:\n${output}`)));
  });
}
