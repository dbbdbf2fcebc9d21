import { Body, Param, Req } from '@nestjs/common';
import type { Request } from 'express';
import { CurrentActor } from '../../../auth/auth.decorators';
import { assertHasRole } from '../../../auth/auth.errors';
import type { Actor } from '../../../auth/roles';
import { CommandController, CommandRoute } from '../shared/command-route';
import { CommandSender } from '../shared/command-sender';
import { ConventionIdPipe, StatementNumberPipe } from '../../../http/path-params';
import { SignStatementCommand } from './sign-statement.command';
import { SignStatementRequest } from './sign-statement.request';

@CommandController()
export class SignStatementController {
  constructor(private readonly sender: CommandSender) {}

  @CommandRoute(':id/statements/:number/signatures', 201)
  async signStatement(
    @Param('id', ConventionIdPipe) conventionId: string,
    @Param('number', StatementNumberPipe) number: number,
    @Body() body: SignStatementRequest,
    @Req() request: Request,
    @CurrentActor() actor: Actor,
  ) {
    // D2: each signature is given by the holder of that role.
    assertHasRole(actor, body.as);
    const outcome = await this.sender.send(SignStatementCommand, conventionId, request, body.toCommand(number, actor.subject));
    return { number, position: outcome.position };
  }
}
