import { Body, Param, Req } from '@nestjs/common';
import type { Request } from 'express';
import { CommandController, CommandRoute } from '../shared/command-route';
import { CommandSender } from '../shared/command-sender';
import { ConventionIdPipe } from '../../../http/path-params';
import { settlementResponse } from '../shared/settlement-response';
import { CloseConventionCommand } from './close-convention.command';
import { CloseConventionRequest } from './close-convention.request';

@CommandController()
export class CloseConventionController {
  constructor(private readonly sender: CommandSender) {}

  @CommandRoute(':id/closure', 201, 'funder')
  async closeConvention(
    @Param('id', ConventionIdPipe) conventionId: string,
    @Body() body: CloseConventionRequest,
    @Req() request: Request,
  ) {
    const outcome = await this.sender.send(CloseConventionCommand, conventionId, request, body.toCommand());
    return settlementResponse(outcome);
  }
}
