import { parseArgs } from 'node:util';
import { loadConfig } from '@cl/config';
import { createEventStore } from '@cl/event-store';
import { createReadModelDb, parseKnownAt, type Balance } from '@cl/read-models';
import { replayConvention, type ReplayStep } from './convention-replay';

/**
 * npm run audit:replay -- --convention <id> [--until <position|instant>] [--as-of <date>] [--steps]
 *
 * Rebuilds a convention from its raw events (docs/audit.md, "Replay") on the store the
 * configuration names (EVENT_STORE, DATA_DIR…), prints the end state or every step, and compares
 * it with the read models (READ_MODELS_URL or DATA_DIR). Exit code: 0 equal, 1 different (or the
 * read models behind), 2 bad arguments or no such convention.
 */
const USAGE = 'usage: npm run audit:replay -- --convention <id> [--until <position|ISO instant with offset>] [--as-of YYYY-MM-DD] [--steps]';

const figuresLine = (figures: Balance | null): string => (figures === null
  ? 'not registered'
  : `status ${figures.status}, committed ${figures.committed}, consumed ${figures.consumed}, received ${figures.received}, `
    + `outstanding ${figures.outstanding}${figures.participation !== undefined ? `, participation ${figures.participation}` : ''}, `
    + `restitution outstanding ${figures.restitution.outstanding}, owed to beneficiary outstanding ${figures.owedToBeneficiary.outstanding}`);

function stepLine({ recorded, figures }: ReplayStep): string {
  const { actor } = recorded.metadata;
  const who = `${actor.subject} (${actor.roles.join(', ')}${actor.organisation !== undefined ? `; ${actor.organisation}` : ''})`;
  return `position ${recorded.position}  revision ${recorded.revision}  ${recorded.type}  recorded ${recorded.recordedAt}  by ${who}\n    -> ${figuresLine(figures)}`;
}

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: { convention: { type: 'string' }, until: { type: 'string' }, 'as-of': { type: 'string' }, steps: { type: 'boolean', default: false } },
    strict: true,
  });
  const until = values.until === undefined ? undefined : parseKnownAt(values.until);
  const asOf = values['as-of'];
  if (!values.convention || (values.until !== undefined && until === undefined) || (asOf !== undefined && !/^\d{4}-\d{2}-\d{2}$/.test(asOf))) {
    process.stderr.write(`${USAGE}\n`);
    return 2;
  }
  const config = loadConfig();
  const store = createEventStore(config);
  const db = createReadModelDb(config.readModels);
  try {
    const result = await replayConvention(store, db, { conventionId: values.convention, until, asOf });
    const out = (line: string) => process.stdout.write(`${line}\n`);
    if (!result.replayed) {
      out(`convention ${values.convention}: no registration among the events${values.until ? ` recorded up to ${values.until}` : ''}`);
      return 2;
    }
    if (values.steps) result.steps.forEach((step) => out(stepLine(step)));
    const last = result.steps.at(-1)!.recorded;
    out(`convention ${values.convention}: ${result.steps.length} events replayed, up to position ${last.position} (revision ${last.revision})`);
    out(`figures${asOf ? ` as of ${asOf}` : ''}: ${JSON.stringify(result.replayed.balance, null, 2)}`);
    out(`expenses: ${result.replayed.expenses.length}, statements: ${result.replayed.statements.length}`);
    if (result.readModelsBehind !== undefined) {
      out(`read models: BEHIND, their checkpoint is position ${result.readModelsBehind}; compare again once they include ${last.position}`);
      return 1;
    }
    const against = `read models${values.until ? ` as known at ${values.until}` : ''}`;
    if (result.differences.length === 0) {
      out(`${against}: EQUAL`);
      return 0;
    }
    out(`${against}: DIFFERENT (${result.differences.length})`);
    result.differences.forEach((difference) => out(`  ${difference}`));
    return 1;
  } finally {
    await store.close();
    await db.destroy();
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`audit:replay: failed: ${(error as Error).message ?? String(error)}\n`);
    process.exit(2);
  },
);
