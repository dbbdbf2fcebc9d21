import { Inject, Injectable } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import type { Request } from 'express';
import type { ConventionCommand } from '@cl/domain';
import type { CommandContext, CommandOutcome } from '../../application/convention-command.executor';
import { commandContextOf } from '../command-context';
import type { ConventionCommandMessage } from '../convention-command.message';
import { ID_GENERATOR, type IdGenerator } from './id-generator';

type MessageClass<C extends ConventionCommand> = new (conventionId: string, payload: C, context: CommandContext) => ConventionCommandMessage<C>;

/** Controllers' one way onto the CommandBus: wraps the domain command with the request's context. */
@Injectable()
export class CommandSender {
  constructor(
    private readonly commandBus: CommandBus,
    @Inject(ID_GENERATOR) private readonly ids: IdGenerator,
  ) {}

  send<C extends ConventionCommand>(Message: MessageClass<C>, conventionId: string, request: Request, command: C): Promise<CommandOutcome> {
    const context = commandContextOf(request);
    return this.commandBus.execute(new Message(conventionId, command, context));
  }

  /**
   * For commands that create something inside a convention (expense, payment, restitution):
   * the new id comes from the request's context (derived from its Idempotency-Key, if any).
   */
  async sendCreating<C extends ConventionCommand>(
    Message: MessageClass<C>,
    conventionId: string,
    request: Request,
    kind: string,
    build: (id: string) => C,
  ): Promise<{ id: string; outcome: CommandOutcome }> {
    const context = commandContextOf(request);
    const id = this.ids.newId(kind, context);
    const outcome: CommandOutcome = await this.commandBus.execute(new Message(conventionId, build(id), context));
    return { id, outcome };
  }
}
