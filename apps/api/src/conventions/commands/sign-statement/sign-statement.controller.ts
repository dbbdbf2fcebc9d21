import { Body, Controller, HttpCode, Param, Post, Req } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import type { Request } from 'express';
import { CurrentActor } from '../../../auth/auth.decorators';
import { assertHasRole } from '../../../auth/auth.errors';
import type { Actor } from '../../../auth/roles';
import { CommandSender } from '../shared/command-sender';
import { ConventionIdPipe, StatementNumberPipe } from '../shared/path-params';
import { SignStatementCommand } from './sign-statement.command';
import { SignStatementRequest } from './sign-statement.request';

@ApiTags('commands')
@ApiBearerAuth()
@Controller('conventions')
export class SignStatementController {
  constructor(private readonly sender: CommandSender) {}

  @Post(':id/statements/:number/signatures')
  @HttpCode(201)
  async signStatement(
    @Param('id', ConventionIdPipe) conventionId: string,
    @Param('number', StatementNumberPipe) number: number,
    @Body() body: SignStatementRequest,
    @Req() request: Request,
    @CurrentActor() actor: Actor,
  ) {
    // D2: each signature is given by the holder of that role.
    assertHasRole(actor, body.as);
    const outcome = await this.sender.send(SignStatementCommand, conventionId, request, () => body.toCommand(number, actor.subject));
    return { number, position: outcome.position };
  }
}
