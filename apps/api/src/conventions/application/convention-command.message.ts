import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import type { ConventionCommand } from '@cl/domain';
import { ConventionCommandExecutor, type CommandContext, type CommandOutcome } from './convention-command.executor';
import { ReferenceReservations } from './reference-reservations';

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

/**
 * The one handler on the bus: load → decide → append, in the executor. A registration first
 * reserves its reference for the funder organisation (T6), and may be registered under the id
 * that reservation names: the outcome's ConventionRegistered says which.
 */
@CommandHandler(ConventionCommandMessage)
export class ConventionCommandHandler implements ICommandHandler<ConventionCommandMessage, CommandOutcome> {
  constructor(
    private readonly executor: ConventionCommandExecutor,
    private readonly references: ReferenceReservations,
  ) {}

  execute({ conventionId, command, context }: ConventionCommandMessage): Promise<CommandOutcome> {
    if (command.type === 'RegisterConvention') return this.references.register(conventionId, command, context);
    return this.executor.execute(conventionId, command, context);
  }
}
