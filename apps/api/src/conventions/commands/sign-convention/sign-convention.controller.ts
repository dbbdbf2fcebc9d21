import { Body, Param, Req } from '@nestjs/common';
import type { Request } from 'express';
import { CurrentActor } from '../../../auth/auth.decorators';
import { assertHasRole } from '../../../auth/auth.errors';
import type { Actor } from '../../../auth/roles';
import { CommandController, CommandRoute } from '../shared/command-route';
import { CommandSender } from '../shared/command-sender';
import { ConventionIdPipe } from '../../../http/path-params';
import { SignConventionCommand } from './sign-convention.command';
import { SignConventionRequest } from './sign-convention.request';

@CommandController()
export class SignConventionController {
  constructor(private readonly sender: CommandSender) {}

  @CommandRoute(':id/signatures', 201)
  async signConvention(
    @Param('id', ConventionIdPipe) conventionId: string,
    @Body() body: SignConventionRequest,
    @Req() request: Request,
    @CurrentActor() actor: Actor,
  ) {
    // S1: a party signs for itself only.
    assertHasRole(actor, body.party);
    const outcome = await this.sender.send(SignConventionCommand, conventionId, request, body.toCommand());
    return { position: outcome.position };
  }
}
