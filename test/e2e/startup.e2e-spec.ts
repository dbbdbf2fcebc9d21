import { spawnSync } from 'node:child_process';
import * as path from 'node:path';

const ROOT = path.resolve(__dirname, '../..');

/** The real entry point, as `npm start` runs it. */
describe('start-up', () => {
  it('refuses to start in production without configured tokens', () => {
    const run = spawnSync(process.execPath, ['-r', 'ts-node/register/transpile-only', '-r', 'tsconfig-paths/register', 'apps/api/src/main.ts'], {
      cwd: ROOT,
      env: { ...process.env, NODE_ENV: 'production', AUTH_TOKENS: '', AUTH_TOKENS_FILE: '', PORT: '0', DATA_DIR: path.join(ROOT, '.tmp', 'startup-test') },
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(/AUTH_TOKENS/);
  });
});
