import { spawn, type ChildProcess } from 'node:child_process';
import * as path from 'node:path';
import { TEST_TOKEN_TABLE } from './test-app';

const ROOT = path.resolve(__dirname, '../..');

export interface ApiProcess {
  child: ChildProcess;
  url: string;
  port: number;
  /** Everything the process printed so far (JSON log lines on standard output, then standard error). */
  output(): string;
  /** Resolves once the process has exited and its output is read. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/**
 * The real entry point (apps/api/src/main.ts, as `npm start` runs it) on PORT 0, with the test
 * token table; resolves once it logs `listening on :<port>` (a JSON log line, so the pattern is
 * searched in the text).
 */
export function startApiProcess(env: Record<string, string>): Promise<ApiProcess> {
  const child = spawn(process.execPath, ['-r', 'ts-node/register/transpile-only', '-r', 'tsconfig-paths/register', 'apps/api/src/main.ts'], {
    cwd: ROOT,
    env: { ...process.env, PORT: '0', NODE_ENV: 'test', AUTH_MODE: '', AUTH_TOKENS: JSON.stringify(TEST_TOKEN_TABLE), FORCE_COLOR: '0', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.once('close', (code, signal) => resolve({ code, signal })));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`API not listening after 90 s:\n${stdout}${stderr}`)), 90_000);
    const onData = () => {
      const match = /listening on :(\d+)/.exec(stdout + stderr);
      if (!match) return;
      clearTimeout(timer);
      const port = Number(match[1]);
      resolve({ child, port, url: `http://127.0.0.1:${port}`, output: () => stdout + stderr, exited });
    };
    child.stdout!.on('data', (chunk: Buffer) => { stdout += chunk.toString(); onData(); });
    child.stderr!.on('data', (chunk: Buffer) => { stderr += chunk.toString(); onData(); });
    void exited.then(({ code }) => { clearTimeout(timer); reject(new Error(`API exited with ${code} before listening:\n${stdout}${stderr}`)); });
  });
}
