import { Body, Param, Req } from '@nestjs/common';
import type { Request } from 'express';
import { CommandController, CommandRoute } from '../shared/command-route';
import { CommandSender } from '../shared/command-sender';
import { ConventionIdPipe } from '../../../http/path-params';
import { settlementResponse } from '../shared/settlement-response';
import { PayRestitutionCommand } from './pay-restitution.command';
import { PayRestitutionRequest } from './pay-restitution.request';

@CommandController()
export class PayRestitutionController {
  constructor(private readonly sender: CommandSender) {}

  @CommandRoute(':id/restitutions', 201, 'beneficiary')
  async payRestitution(
    @Param('id', ConventionIdPipe) conventionId: string,
    @Body() body: PayRestitutionRequest,
    @Req() request: Request,
  ) {
    const { id: restitutionId, outcome } = await this.sender.sendCreating(PayRestitutionCommand, conventionId, request, 'restitution', (id) => body.toCommand(id));
    return { restitutionId, ...settlementResponse(outcome) };
  }
}
