import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import type { ConventionCommand } from '@cl/domain';
import { ConventionCommandExecutor, type CommandContext, type CommandOutcome } from './convention-command.executor';

/** What travels on the CommandBus, for every command: the target convention, the domain command, and who asked. */
export class ConventionCommandMessage extends Command<CommandOutcome> {
  constructor(
    readonly conventionId: string,
    readonly command: ConventionCommand,
    readonly context: CommandContext,
  ) {
    super();
  }
}

/** The one handler on the bus: load → decide → append, in the executor. */
@CommandHandler(ConventionCommandMessage)
export class ConventionCommandHandler implements ICommandHandler<ConventionCommandMessage, CommandOutcome> {
  constructor(private readonly executor: ConventionCommandExecutor) {}

  execute({ conventionId, command, context }: ConventionCommandMessage): Promise<CommandOutcome> {
    return this.executor.execute(conventionId, command, context);
  }
}
