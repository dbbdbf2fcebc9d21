import { Body, Req } from '@nestjs/common';
import type { Request } from 'express';
import type { PartyRole } from '@cl/domain';
import { CurrentActor } from '../../auth/auth.decorators';
import { ForbiddenRoleError } from '../../auth/auth.errors';
import type { Actor } from '../../auth/roles';
import { ApiError } from '../../http/api-error';
import { ConventionId } from '../../http/path-params';
import { CommandController, CommandRoute } from '../shared/command-route';
import { CommandSender } from '../shared/command-sender';
import { CloseConventionRequest } from './close-convention.request';
import { PayRestitutionRequest } from './pay-restitution.request';
import { PaySettlementRequest } from './pay-settlement.request';
import { endingResponse, settledOf } from './settlement-response';
import { TerminateConventionRequest } from './terminate-convention.request';

/** C1, X1, R1, R2 (libs/domain/src/decide/closure.ts): the end of a convention and what is still owed either way. */
@CommandController()
export class ClosureController {
  constructor(private readonly commands: CommandSender) {}

  @CommandRoute('CloseConvention', ':id/closure', 201, 'funder')
  async closeConvention(@ConventionId() conventionId: string, @Body() body: CloseConventionRequest, @Req() request: Request) {
    return endingResponse(await this.commands.send(conventionId, request, body.toCommand()));
  }

  @CommandRoute('TerminateConvention', ':id/termination', 201, 'funder', 'beneficiary')
  async terminateConvention(
    @ConventionId() conventionId: string, @Body() body: TerminateConventionRequest, @Req() request: Request, @CurrentActor() actor: Actor,
  ) {
    const command = body.toCommand(decidingParty(actor, body.decidedBy));
    return endingResponse(await this.commands.send(conventionId, request, command));
  }

  @CommandRoute('PayRestitution', ':id/restitutions', 201, 'beneficiary')
  async payRestitution(@ConventionId() conventionId: string, @Body() body: PayRestitutionRequest, @Req() request: Request) {
    const restitutionId = this.commands.newId('restitution', request);
    const outcome = await this.commands.send(conventionId, request, body.toCommand(restitutionId));
    return { restitutionId, position: outcome.position, settled: settledOf(outcome) };
  }

  @CommandRoute('PaySettlement', ':id/settlement-payments', 201, 'funder')
  async paySettlement(@ConventionId() conventionId: string, @Body() body: PaySettlementRequest, @Req() request: Request) {
    const paymentId = this.commands.newId('settlement-payment', request);
    const outcome = await this.commands.send(conventionId, request, body.toCommand(paymentId));
    return { paymentId, position: outcome.position, settled: settledOf(outcome) };
  }
}

/**
 * X1: the party recording a termination is the caller's: its funder or beneficiary role. A
 * caller holding both names it in `decidedBy`; naming a party it does not hold is a 403.
 */
export function decidingParty(actor: Actor, named: PartyRole | undefined): PartyRole {
  const held = (['funder', 'beneficiary'] as const).filter((role) => actor.roles.includes(role));
  if (named !== undefined) {
    if (!held.includes(named)) throw new ForbiddenRoleError([named]);
    return named;
  }
  if (held.length === 1) return held[0];
  throw new ApiError(400, 'VALIDATION_FAILED', 'invalid request: decidedBy: the caller holds both the funder and the beneficiary roles; say which party records the termination', {
    errors: [{ field: 'decidedBy', messages: ['decidedBy is required from a caller holding both the funder and the beneficiary roles: "funder" or "beneficiary"'] }],
  });
}
