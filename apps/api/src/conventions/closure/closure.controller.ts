import { Body, Req } from '@nestjs/common';
import type { Request } from 'express';
import type { ConventionCommand } from '@cl/domain';
import { ConventionId } from '../../http/path-params';
import { CommandController, CommandRoute } from '../shared/command-route';
import { CommandSender } from '../shared/command-sender';
import { settlementResponse } from './settlement-response';
import { CloseConventionRequest } from './close-convention.request';
import { PayRestitutionRequest } from './pay-restitution.request';
import { TerminateConventionRequest } from './terminate-convention.request';

/** C1, X1, R1 (libs/domain/src/decide/closure.ts): the end of a convention and what is still owed. */
@CommandController()
export class ClosureController {
  constructor(private readonly commands: CommandSender) {}

  @CommandRoute('CloseConvention', ':id/closure', 201, 'funder')
  closeConvention(@ConventionId() conventionId: string, @Body() body: CloseConventionRequest, @Req() request: Request) {
    return this.send(conventionId, request, body.toCommand());
  }

  @CommandRoute('TerminateConvention', ':id/termination', 201, 'funder')
  terminateConvention(@ConventionId() conventionId: string, @Body() body: TerminateConventionRequest, @Req() request: Request) {
    return this.send(conventionId, request, body.toCommand());
  }

  @CommandRoute('PayRestitution', ':id/restitutions', 201, 'beneficiary')
  async payRestitution(@ConventionId() conventionId: string, @Body() body: PayRestitutionRequest, @Req() request: Request) {
    const restitutionId = this.commands.newId('restitution', request);
    return { restitutionId, ...(await this.send(conventionId, request, body.toCommand(restitutionId))) };
  }

  /** Every closure command answers with what is still owed and whether the convention is settled. */
  private async send(conventionId: string, request: Request, command: ConventionCommand) {
    return settlementResponse(await this.commands.send(conventionId, request, command));
  }
}
