'use strict';
/**
 * node [node flags] scripts/run-app.js <app> <entry> [arguments...]
 *
 * Runs apps/<app>/src/<entry> IN THIS PROCESS (so that the node flags given apply to it): the
 * production build (dist/, `npm run build`) when it is newer than every source the build compiles,
 * else the TypeScript sources through ts-node (transpile only), as a fresh clone runs them.
 * Same code either way; the build starts several times faster and does not carry the TypeScript
 * compiler in memory (about 140 MB of RSS), which counts for a rebuild in a small container
 * (docs/performance.md). RUN_APP_FROM=sources runs the sources whatever the build. Plain JavaScript on purpose: loading ts-node to choose would cost that
 * memory whatever the choice.
 */
const fs = require('node:fs');
const path = require('node:path');

const ROOT = path.resolve(__dirname, '..');
const isTest = (name) => /\.(spec|int-spec|e2e-spec)\.ts$/.test(name);

/** The newest modification time of the sources the build compiles (tsconfig.build.json: no tests, no testing helpers). */
function newestSource(dir) {
  let newest = 0;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) newest = entry.name === 'testing' ? newest : Math.max(newest, newestSource(full));
    else if (entry.name.endsWith('.ts') && !isTest(entry.name)) newest = Math.max(newest, fs.statSync(full).mtimeMs);
  }
  return newest;
}

/** The built entry point when the build is newer than every source it compiles, else undefined. */
function freshBuildOf(app, entry) {
  const built = path.join(ROOT, 'dist', 'apps', app, 'src', `${entry}.js`);
  if (!fs.existsSync(built)) return undefined;
  const sources = Math.max(newestSource(path.join(ROOT, 'apps')), newestSource(path.join(ROOT, 'libs')));
  return fs.statSync(built).mtimeMs > sources ? built : undefined;
}

function run(app, entry, args) {
  const source = app && entry ? path.join(ROOT, 'apps', app, 'src', `${entry}.ts`) : undefined;
  if (!source || !fs.existsSync(source)) {
    process.stderr.write(`usage: node scripts/run-app.js <app> <entry> [arguments...] (no ${source ?? 'entry given'})\n`);
    process.exit(2);
  }
  // RUN_APP_FROM=sources runs the sources whatever the build (what a fresh clone runs).
  const built = process.env.RUN_APP_FROM === 'sources' ? undefined : freshBuildOf(app, entry);
  // The entry reads its own arguments from process.argv.slice(2), as when started directly.
  process.argv = [process.argv[0], built ?? source, ...args];
  if (built) {
    require(built);
  } else {
    process.env.TS_NODE_PROJECT ??= path.join(ROOT, 'tsconfig.json');
    require('ts-node').register({ transpileOnly: true });
    require('tsconfig-paths/register');
    require(source);
  }
}

module.exports = { freshBuildOf };

if (require.main === module) {
  const [app, entry, ...args] = process.argv.slice(2);
  run(app, entry, args);
}
