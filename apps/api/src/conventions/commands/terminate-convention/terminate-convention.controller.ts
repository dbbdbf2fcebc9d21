import { Body, Param, Req } from '@nestjs/common';
import type { Request } from 'express';
import { CommandController, CommandRoute } from '../shared/command-route';
import { CommandSender } from '../shared/command-sender';
import { ConventionIdPipe } from '../../../http/path-params';
import { settlementResponse } from '../shared/settlement-response';
import { TerminateConventionCommand } from './terminate-convention.command';
import { TerminateConventionRequest } from './terminate-convention.request';

@CommandController()
export class TerminateConventionController {
  constructor(private readonly sender: CommandSender) {}

  @CommandRoute(':id/termination', 201, 'funder')
  async terminateConvention(
    @Param('id', ConventionIdPipe) conventionId: string,
    @Body() body: TerminateConventionRequest,
    @Req() request: Request,
  ) {
    const outcome = await this.sender.send(TerminateConventionCommand, conventionId, request, body.toCommand());
    return settlementResponse(outcome);
  }
}
