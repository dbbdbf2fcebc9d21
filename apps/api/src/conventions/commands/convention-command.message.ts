import { Inject, Injectable } from '@nestjs/common';
import type { ConventionCommand } from '@cl/domain';
import { ConventionCommandExecutor, type CommandContext, type CommandOutcome } from '../application/convention-command.executor';

/**
 * What travels on the CommandBus: the target convention, the domain command, and who asked.
 * Each slice declares its own subclass so that handlers are registered per command type.
 */
export abstract class ConventionCommandMessage<C extends ConventionCommand = ConventionCommand> {
  constructor(
    readonly conventionId: string,
    readonly payload: C,
    readonly context: CommandContext,
  ) {}
}

/** Every slice's handler is this: load → decide → append, in the executor. */
@Injectable()
export abstract class ConventionCommandHandler<M extends ConventionCommandMessage> {
  constructor(@Inject(ConventionCommandExecutor) private readonly executor: ConventionCommandExecutor) {}

  execute(message: M): Promise<CommandOutcome> {
    return this.executor.execute(message.conventionId, message.payload, message.context);
  }
}
