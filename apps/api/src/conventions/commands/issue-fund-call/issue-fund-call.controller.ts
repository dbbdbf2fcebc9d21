import { Body, Param, Req } from '@nestjs/common';
import type { Request } from 'express';
import { CommandController, CommandRoute } from '../shared/command-route';
import { CommandSender } from '../shared/command-sender';
import { ConventionIdPipe } from '../../../http/path-params';
import { IssueFundCallCommand } from './issue-fund-call.command';
import { IssueFundCallRequest } from './issue-fund-call.request';

@CommandController()
export class IssueFundCallController {
  constructor(private readonly sender: CommandSender) {}

  @CommandRoute(':id/fund-calls', 201, 'beneficiary')
  async issueFundCall(
    @Param('id', ConventionIdPipe) conventionId: string,
    @Body() body: IssueFundCallRequest,
    @Req() request: Request,
  ) {
    const outcome = await this.sender.send(IssueFundCallCommand, conventionId, request, body.toCommand());
    return { tranche: body.tranche, position: outcome.position };
  }
}
