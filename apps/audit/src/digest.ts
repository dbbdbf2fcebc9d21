import { digestLog, formatDigest } from '@cl/event-store';
import { EXIT_VALID, openConfiguredStore, parseOptions, progressOnStderr, runCommand, UsageError } from './audit-cli';

/**
 * npm run audit:digest [-- --position <p>]: prints `<hex>@<position>`, the digest of the log up
 * to that position (default: its end), to publish or hand to a third party. docs/audit.md.
 */
async function main(): Promise<number> {
  const options = parseOptions(process.argv.slice(2), ['position']);
  const position = options.position === undefined ? undefined : Number(options.position);
  if (position !== undefined && !(Number.isSafeInteger(position) && position >= 0)) throw new UsageError(`--position must be a log position, got '${options.position}'`);
  const store = openConfiguredStore();
  try {
    const digest = await digestLog(store, { position, onProgress: progressOnStderr('audit:digest') });
    process.stdout.write(`${formatDigest(digest)}\n`);
    return EXIT_VALID;
  } finally {
    await store.close();
  }
}

runCommand('audit:digest', main);
