import { spawn } from 'node:child_process';
import { outcomeOf, REPO_ROOT } from '../read-models/support/child-process';

/** scripts/run-app.js, which the npm scripts start the apps through (the build when fresh, else the sources). */
function runApp(args: readonly string[], env: Record<string, string> = {}) {
  return outcomeOf(spawn(process.execPath, ['scripts/run-app.js', ...args], { cwd: REPO_ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] }));
}

describe('scripts/run-app.js', () => {
  it('refuses a missing or unknown entry point with its usage (exit 2)', async () => {
    for (const args of [[], ['projector'], ['projector', 'nowhere'], ['../..', 'package']]) {
      const outcome = await runApp(args);
      expect(outcome.code).toBe(2);
      expect(outcome.stderr).toContain('usage: node scripts/run-app.js <app> <entry> [arguments...]');
    }
  });

  it('runs the TypeScript sources as a fresh clone does, handing the entry its own arguments', async () => {
    const outcome = await runApp(['projector', 'rebuild', '--bogus'], { RUN_APP_FROM: 'sources' });
    // The rebuild's own refusal of an unknown argument: the entry ran and saw exactly its arguments.
    expect(outcome.code).toBe(1);
    expect(outcome.stderr).toContain('rebuild: failed: unknown argument --bogus');
  });
});
