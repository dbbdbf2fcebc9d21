import { Body, Req } from '@nestjs/common';
import type { Request } from 'express';
import type { ConventionAmended } from '@cl/domain';
import { ConventionId } from '../../http/path-params';
import { CommandController, CommandRoute } from '../shared/command-route';
import { CommandSender } from '../shared/command-sender';
import { AmendConventionRequest } from './amend-convention.request';

/** A1-A3 (libs/domain/src/decide/amendments.ts). */
@CommandController()
export class AmendmentsController {
  constructor(private readonly commands: CommandSender) {}

  @CommandRoute('AmendConvention', ':id/amendments', 201, 'funder')
  async amendConvention(@ConventionId() conventionId: string, @Body() body: AmendConventionRequest, @Req() request: Request) {
    const outcome = await this.commands.send(conventionId, request, body.toCommand());
    const amended = outcome.events.find((e): e is ConventionAmended => e.type === 'ConventionAmended');
    return { number: amended?.data.number, endsOn: amended?.data.endsOn, position: outcome.position };
  }
}
