import { Body, Req } from '@nestjs/common';
import type { Request } from 'express';
import { CurrentActor } from '../../auth/auth.decorators';
import { assertHasRole } from '../../auth/auth.errors';
import type { Actor } from '../../auth/roles';
import { ConventionId } from '../../http/path-params';
import { CommandController, CommandRoute } from '../shared/command-route';
import { CommandSender } from '../shared/command-sender';
import { SignConventionRequest } from './sign-convention.request';

/** S1-S2 (libs/domain/src/decide/signatures.ts). */
@CommandController()
export class SignaturesController {
  constructor(private readonly commands: CommandSender) {}

  @CommandRoute('SignConvention', ':id/signatures', 201)
  async signConvention(@ConventionId() conventionId: string, @Body() body: SignConventionRequest, @Req() request: Request, @CurrentActor() actor: Actor) {
    assertHasRole(actor, body.party); // S1: a party signs for itself only.
    const { position } = await this.commands.send(conventionId, request, body.toCommand());
    return { position };
  }
}
