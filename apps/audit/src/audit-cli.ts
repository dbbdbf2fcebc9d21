import { existsSync } from 'node:fs';
import { loadConfig } from '@cl/config';
import { createEventStore, type EventStore, type LogProgress } from '@cl/event-store';

/** Exit codes of the audit commands: 0 the log is as it should be, 1 it is broken, 2 the command could not run. */
export const EXIT_VALID = 0;
export const EXIT_BROKEN = 1;
export const EXIT_FAILED = 2;

export class UsageError extends Error {}

/** `--name value` or `--name=value`; every other argument is refused, so a typo is never ignored. */
export function parseOptions(argv: string[], names: string[]): Record<string, string | undefined> {
  const options: Record<string, string | undefined> = {};
  for (let index = 0; index < argv.length; index++) {
    const [flag, inline] = argv[index].split(/=(.*)/s, 2);
    const name = flag.replace(/^--/, '');
    if (!flag.startsWith('--') || !names.includes(name)) throw new UsageError(`unknown argument '${argv[index]}' (accepted: ${names.map((n) => `--${n}`).join(', ')})`);
    const value = inline ?? argv[++index];
    if (value === undefined) throw new UsageError(`--${name} needs a value`);
    options[name] = value;
  }
  return options;
}

/**
 * The configured store (EVENT_STORE, DATA_DIR or EVENTSTORE_CONNECTION_STRING, as the API reads
 * them). An embedded file that does not exist is refused: opening it would create an empty log.
 */
export function openConfiguredStore(): EventStore {
  const config = loadConfig();
  if (config.eventStore.kind === 'embedded' && !existsSync(config.eventStore.file)) {
    throw new UsageError(`no event store at ${config.eventStore.file} (set DATA_DIR)`);
  }
  return createEventStore(config);
}

/** Progress on stderr: a redrawn line on a terminal, at most one line a second otherwise (logs, pipes). */
export function progressOnStderr(command: string): (progress: LogProgress) => void {
  const tty = process.stderr.isTTY;
  let lastShown = 0;
  return (progress) => {
    const now = Date.now();
    const last = progress.done >= progress.total;
    if (!last && now - lastShown < (tty ? 100 : 1000)) return;
    lastShown = now;
    const what = progress.phase === 'log' ? `log read up to position ${progress.done} of ${progress.total}` : `chains checked: ${progress.done} of ${progress.total} streams`;
    const percent = progress.total > 0 ? Math.floor((Math.min(progress.done, progress.total) / progress.total) * 100) : 100;
    process.stderr.write(tty ? `\r${command}: ${what} (${percent}%)\x1b[K${last ? '\n' : ''}` : `${command}: ${what} (${percent}%)\n`);
  };
}

/** Runs a command's main: its exit code, or 2 with the reason on stderr. */
export function runCommand(command: string, main: () => Promise<number>): void {
  main().then(
    (code) => process.exit(code),
    (error: unknown) => {
      process.stderr.write(`${command}: ${error instanceof Error ? error.message : String(error)}\n`);
      process.exit(EXIT_FAILED);
    },
  );
}
