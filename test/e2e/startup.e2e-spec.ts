import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { entryPointOf } from '../support/api-process';

const ROOT = path.resolve(__dirname, '../..');
const STRONG = 'c0a8f3e9b27d41f6a5e8d9c2b1f04e7a';

/** Every variable the apps read, emptied: each case sets only what it tests. */
const CLEAN_ENV = Object.fromEntries(
  ['NODE_ENV', 'AUTH_MODE', 'AUTH_TOKENS', 'AUTH_TOKENS_FILE', 'OIDC_ISSUER', 'OIDC_AUDIENCE', 'OIDC_JWKS_URL', 'READ_MODELS_URL', 'EVENT_STORE'].map((name) => [name, '']),
);

const entry = (token: Record<string, string>) => JSON.stringify([{ ...token, subject: 's', roles: ['funder'], organisation: '130026032' }]);

/**
 * The real entry point, as `npm start` runs it (without the script's AUTH_MODE=development):
 * scripts/run-app.js, the build when it is current (CI builds before testing), else the sources.
 */
function runMain(env: Record<string, string>) {
  return spawnSync(process.execPath, entryPointOf('api'), {
    cwd: ROOT,
    env: { ...process.env, ...CLEAN_ENV, PORT: '0', DATA_DIR: path.join(ROOT, '.tmp', 'startup-test'), ...env },
    encoding: 'utf8',
    timeout: 60_000,
  });
}

describe('start-up', () => {
  it.each<[string, Record<string, string>, RegExp]>([
    ['in production without configured tokens', { NODE_ENV: 'production' }, /AUTH_TOKENS/],
    ['with NODE_ENV spelled "Production" and no tokens (no development tokens)', { NODE_ENV: 'Production' }, /AUTH_MODE=development/],
    ['without NODE_ENV or AUTH_MODE and no tokens', {}, /no authentication configured \(AUTH_MODE production\)/],
    ['in production with a weak token', { NODE_ENV: 'production', AUTH_TOKENS: entry({ token: 'funder-secret-2024' }) }, /AUTH_TOKENS\[0\]\.token is too weak for production/],
    ['in production with a development token, even as a digest', { NODE_ENV: 'production', AUTH_TOKENS: entry({ tokenSha256: createHash('sha256').update('dev-funder').digest('hex') }) }, /development token/],
    ['in production with the example tokens', { NODE_ENV: 'production', AUTH_TOKENS: fs.readFileSync(path.join(ROOT, 'deploy/auth-tokens.example.json'), 'utf8') }, /example token/],
  ])('refuses to start %s', (_label, env, message) => {
    const run = runMain(env);
    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(message);
    expect(run.stderr).not.toContain('funder-secret-2024');
  });

  it('`npm start` works out of the box: development mode, development tokens printed', async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'convention-ledger-start-'));
    const child = spawn('npm', ['start', '--silent'], {
      cwd: ROOT,
      env: { ...process.env, ...CLEAN_ENV, PORT: '0', DATA_DIR: dataDir, FORCE_COLOR: '0' },
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    try {
      const output = await outputUntil(child, /development tokens are active/);
      expect(output).toMatch(/AUTH_MODE development/);
      expect(output).toMatch(/dev-funder → funder/);
    } finally {
      // npm, its shell and node share the process group started here.
      if (child.pid) process.kill(-child.pid, 'SIGTERM');
      await new Promise((resolve) => setTimeout(resolve, 500));
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  });

  it('starts in production with strong tokens', async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'convention-ledger-start-'));
    const child = spawn(process.execPath, entryPointOf('api'), {
      cwd: ROOT,
      env: { ...process.env, ...CLEAN_ENV, NODE_ENV: 'production', AUTH_TOKENS: entry({ token: STRONG }), PORT: '0', DATA_DIR: dataDir, FORCE_COLOR: '0' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    try {
      const output = await outputUntil(child, /authentication \(AUTH_MODE production\): token table \(1\)/);
      expect(output).not.toMatch(/development tokens/);
    } finally {
      if (child.exitCode === null) {
        child.kill('SIGTERM');
        await new Promise((resolve) => child.once('exit', resolve));
      }
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  });
});

/** Everything the child printed until a line matches `started` (60 s at most, or its early exit: a failure). */
function outputUntil(child: ChildProcess, started: RegExp): Promise<string> {
  let output = '';
  return new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`not started in 60 s:\n${output}`)), 60_000);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      if (started.test(output)) {
        clearTimeout(timer);
        resolve(output);
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.on('exit', (code) => reject(new Error(`exited with ${code}:\n${output}`)));
  });
}
