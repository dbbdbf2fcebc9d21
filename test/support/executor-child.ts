/**
 * Another process sending commands through its own ConventionCommandExecutor on an embedded
 * store file, for the executor's tests of its kept state (another writer appended meanwhile).
 *
 *   node -r ts-node/register/transpile-only -r tsconfig-paths/register \
 *     test/support/executor-child.ts <file> <steps as JSON>
 *
 * Each step is {conventionId, command, context}; a command's `amount` is money text. Prints one
 * line per step: {"position": …} once recorded, or {"code": …} when refused.
 */
import { DomainError, money, type ConventionCommand } from '@cl/domain';
import { SqliteEventStore } from '@cl/event-store';
import { ConventionCommandExecutor, type CommandContext } from '../../apps/api/src/conventions/application/convention-command.executor';
import { systemClock } from '../../apps/api/src/infrastructure/clock';

export interface ChildStep {
  conventionId: string;
  command: Record<string, unknown>;
  context: CommandContext;
}

async function main(): Promise<void> {
  const [file, steps] = process.argv.slice(2);
  if (!file || !steps) throw new Error('usage: <file> <steps as JSON>');
  const store = new SqliteEventStore(file);
  try {
    const executor = new ConventionCommandExecutor(store, systemClock);
    for (const step of JSON.parse(steps) as ChildStep[]) {
      const command = { ...step.command, ...(typeof step.command.amount === 'string' ? { amount: money(step.command.amount) } : {}) } as unknown as ConventionCommand;
      const line = await executor.execute(step.conventionId, command, step.context).then(
        (outcome) => ({ position: outcome.position }),
        (error: unknown) => {
          if (error instanceof DomainError) return { code: error.code };
          throw error;
        },
      );
      process.stdout.write(`${JSON.stringify(line)}\n`);
    }
  } finally {
    await store.close();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
