import { Body, Inject, Req } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import type { Request } from 'express';
import type { CommandOutcome } from '../../application/convention-command.executor';
import { commandContextOf } from '../command-context';
import { CommandController, CommandRoute } from '../shared/command-route';
import { ID_GENERATOR, type IdGenerator } from '../shared/id-generator';
import { RegisterConventionCommand } from './register-convention.command';
import { RegisterConventionRequest } from './register-convention.request';

@CommandController()
export class RegisterConventionController {
  constructor(
    private readonly commandBus: CommandBus,
    @Inject(ID_GENERATOR) private readonly ids: IdGenerator,
  ) {}

  @CommandRoute('', 201, 'funder')
  async register(@Body() body: RegisterConventionRequest, @Req() request: Request) {
    const context = commandContextOf(request);
    const id = this.ids.newId('convention', context);
    const outcome: CommandOutcome = await this.commandBus.execute(new RegisterConventionCommand(id, body.toCommand(id), context));
    return { id, position: outcome.position };
  }
}
