import { Body, Req } from '@nestjs/common';
import type { Request } from 'express';
import { ConventionId } from '../../http/path-params';
import { CommandController, CommandRoute } from '../shared/command-route';
import { CommandSender } from '../shared/command-sender';
import { IssueFundCallRequest } from './issue-fund-call.request';
import { PayTrancheRequest } from './pay-tranche.request';

/** F1, P1 (libs/domain/src/decide/funding.ts): tranches are called, then paid. */
@CommandController()
export class FundingController {
  constructor(private readonly commands: CommandSender) {}

  @CommandRoute('IssueFundCall', ':id/fund-calls', 201, 'beneficiary')
  async issueFundCall(@ConventionId() conventionId: string, @Body() body: IssueFundCallRequest, @Req() request: Request) {
    const { position } = await this.commands.send(conventionId, request, body.toCommand());
    return { tranche: body.tranche, position };
  }

  @CommandRoute('PayTranche', ':id/payments', 201, 'funder')
  async payTranche(@ConventionId() conventionId: string, @Body() body: PayTrancheRequest, @Req() request: Request) {
    const paymentId = this.commands.newId('payment', request);
    const { position } = await this.commands.send(conventionId, request, body.toCommand(paymentId));
    return { paymentId, position };
  }
}
