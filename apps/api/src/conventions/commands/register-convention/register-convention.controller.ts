import { Body, Controller, HttpCode, Inject, Post, Req } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import type { Request } from 'express';
import { RequireRoles } from '../../../auth/auth.decorators';
import type { CommandOutcome } from '../../application/convention-command.executor';
import { commandContextOf } from '../command-context';
import { ID_GENERATOR, type IdGenerator } from '../shared/id-generator';
import { RegisterConventionCommand } from './register-convention.command';
import { RegisterConventionRequest } from './register-convention.request';

@ApiTags('commands')
@ApiBearerAuth()
@Controller('conventions')
export class RegisterConventionController {
  constructor(
    private readonly commandBus: CommandBus,
    @Inject(ID_GENERATOR) private readonly ids: IdGenerator,
  ) {}

  @Post()
  @HttpCode(201)
  @RequireRoles('funder')
  async register(@Body() body: RegisterConventionRequest, @Req() request: Request) {
    const context = commandContextOf(request);
    const id = this.ids.newId('convention', context);
    const outcome: CommandOutcome = await this.commandBus.execute(new RegisterConventionCommand(id, body.toCommand(id), context));
    return { id, position: outcome.position };
  }
}
