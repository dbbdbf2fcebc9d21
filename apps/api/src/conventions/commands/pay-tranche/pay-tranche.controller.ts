import { Body, Inject, Param, Req } from '@nestjs/common';
import type { Request } from 'express';
import { CommandController, CommandRoute } from '../shared/command-route';
import { CommandSender } from '../shared/command-sender';
import { ID_GENERATOR, type IdGenerator } from '../shared/id-generator';
import { ConventionIdPipe } from '../shared/path-params';
import { PayTrancheCommand } from './pay-tranche.command';
import { PayTrancheRequest } from './pay-tranche.request';

@CommandController()
export class PayTrancheController {
  constructor(
    private readonly sender: CommandSender,
    @Inject(ID_GENERATOR) private readonly ids: IdGenerator,
  ) {}

  @CommandRoute(':id/payments', 201, 'funder')
  async payTranche(
    @Param('id', ConventionIdPipe) conventionId: string,
    @Body() body: PayTrancheRequest,
    @Req() request: Request,
  ) {
    let paymentId = '';
    const outcome = await this.sender.send(PayTrancheCommand, conventionId, request, (context) => body.toCommand((paymentId = this.ids.newId('payment', context))));
    return { paymentId, position: outcome.position };
  }
}
