import { Injectable } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import type { Request } from 'express';
import type { ConventionCommand } from '@cl/domain';
import type { CommandContext, CommandOutcome } from '../../application/convention-command.executor';
import { commandContextOf } from '../command-context';
import type { ConventionCommandMessage } from '../convention-command.message';

type MessageClass<C extends ConventionCommand> = new (conventionId: string, payload: C, context: CommandContext) => ConventionCommandMessage<C>;

/** Controllers' one way onto the CommandBus: wraps the domain command with the request's context. */
@Injectable()
export class CommandSender {
  constructor(private readonly commandBus: CommandBus) {}

  send<C extends ConventionCommand>(
    Message: MessageClass<C>,
    conventionId: string,
    request: Request,
    build: (context: CommandContext) => C,
  ): Promise<CommandOutcome> {
    const context = commandContextOf(request);
    return this.commandBus.execute(new Message(conventionId, build(context), context));
  }
}
