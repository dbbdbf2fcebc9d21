import { Body, Param, Req } from '@nestjs/common';
import type { Request } from 'express';
import { CommandController, CommandRoute } from '../shared/command-route';
import { CommandSender } from '../shared/command-sender';
import { ConventionIdPipe } from '../../../http/path-params';
import { PayTrancheCommand } from './pay-tranche.command';
import { PayTrancheRequest } from './pay-tranche.request';

@CommandController()
export class PayTrancheController {
  constructor(private readonly sender: CommandSender) {}

  @CommandRoute(':id/payments', 201, 'funder')
  async payTranche(
    @Param('id', ConventionIdPipe) conventionId: string,
    @Body() body: PayTrancheRequest,
    @Req() request: Request,
  ) {
    const { id: paymentId, outcome } = await this.sender.sendCreating(PayTrancheCommand, conventionId, request, 'payment', (id) => body.toCommand(id));
    return { paymentId, position: outcome.position };
  }
}
