import { spawn, type ChildProcess } from 'node:child_process';
import * as path from 'node:path';
import { entryPointOf } from '../../support/api-process';

export const REPO_ROOT = path.resolve(__dirname, '../../..');

/** node -r ts-node/register/transpile-only -r tsconfig-paths/register <script> [args], from the repo root. */
export function spawnTs(script: string, env: Record<string, string>, args: readonly string[] = []): ChildProcess {
  return spawn(process.execPath, ['-r', 'ts-node/register/transpile-only', '-r', 'tsconfig-paths/register', script, ...args], {
    cwd: REPO_ROOT,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

/**
 * An app's entry point (`apps/<app>/src/<entry>.ts`) as the npm scripts run it (entryPointOf:
 * the build when it is current, else the sources), with arguments.
 */
export function spawnEntryPoint(app: string, entry: string, env: Record<string, string>, args: readonly string[] = []): ChildProcess {
  return spawn(process.execPath, [...entryPointOf(app, entry), ...args], {
    cwd: REPO_ROOT,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

/** `npm run --silent <script>` from the repo root: the command line an operator types, package.json's flags included. */
export function spawnNpmScript(script: string, env: Record<string, string>, args: readonly string[] = []): ChildProcess {
  return spawn('npm', ['run', '--silent', script, ...(args.length > 0 ? ['--', ...args] : [])], {
    cwd: REPO_ROOT,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

export interface ChildOutcome {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** Collects output; resolves on exit (after the child is reaped). */
export function outcomeOf(child: ChildProcess): Promise<ChildOutcome> {
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (chunk: Buffer) => { stdout += chunk.toString(); });
  child.stderr?.on('data', (chunk: Buffer) => { stderr += chunk.toString(); });
  return new Promise((resolve) => {
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
}

/** Resolves once the child's stdout contains `text`; rejects if it exits first. */
export function waitForOutput(child: ChildProcess, text: string): Promise<void> {
  return new Promise((resolve, reject) => {
    let seen = '';
    let stderr = '';
    child.stderr?.on('data', (chunk: Buffer) => { stderr += chunk.toString(); });
    child.stdout?.on('data', (chunk: Buffer) => {
      seen += chunk.toString();
      if (seen.includes(text)) resolve();
    });
    child.on('exit', (code) => reject(new Error(`child exited (${code}) before printing "${text}": ${seen}\n${stderr}`)));
  });
}
