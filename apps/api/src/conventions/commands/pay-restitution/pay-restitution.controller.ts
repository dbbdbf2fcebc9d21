import { Body, Inject, Param, Req } from '@nestjs/common';
import type { Request } from 'express';
import { CommandController, CommandRoute } from '../shared/command-route';
import { CommandSender } from '../shared/command-sender';
import { ID_GENERATOR, type IdGenerator } from '../shared/id-generator';
import { ConventionIdPipe } from '../shared/path-params';
import { settlementResponse } from '../shared/settlement-response';
import { PayRestitutionCommand } from './pay-restitution.command';
import { PayRestitutionRequest } from './pay-restitution.request';

@CommandController()
export class PayRestitutionController {
  constructor(
    private readonly sender: CommandSender,
    @Inject(ID_GENERATOR) private readonly ids: IdGenerator,
  ) {}

  @CommandRoute(':id/restitutions', 201, 'beneficiary')
  async payRestitution(
    @Param('id', ConventionIdPipe) conventionId: string,
    @Body() body: PayRestitutionRequest,
    @Req() request: Request,
  ) {
    let restitutionId = '';
    const outcome = await this.sender.send(PayRestitutionCommand, conventionId, request, (context) => body.toCommand((restitutionId = this.ids.newId('restitution', context))));
    return { restitutionId, ...settlementResponse(outcome) };
  }
}
