import { Body, Param, Req } from '@nestjs/common';
import type { Request } from 'express';
import type { ConventionAmended } from '@cl/domain';
import { CommandController, CommandRoute } from '../shared/command-route';
import { CommandSender } from '../shared/command-sender';
import { ConventionIdPipe } from '../../../http/path-params';
import { AmendConventionCommand } from './amend-convention.command';
import { AmendConventionRequest } from './amend-convention.request';

@CommandController()
export class AmendConventionController {
  constructor(private readonly sender: CommandSender) {}

  @CommandRoute(':id/amendments', 201, 'funder')
  async amendConvention(@Param('id', ConventionIdPipe) conventionId: string, @Body() body: AmendConventionRequest, @Req() request: Request) {
    const outcome = await this.sender.send(AmendConventionCommand, conventionId, request, body.toCommand());
    const amended = outcome.events.find((e): e is ConventionAmended => e.type === 'ConventionAmended');
    return { number: amended?.data.number, endsOn: amended?.data.endsOn, position: outcome.position };
  }
}
