import { Body, Req } from '@nestjs/common';
import type { Request } from 'express';
import { CurrentActor } from '../../auth/auth.decorators';
import { assertHasRole } from '../../auth/auth.errors';
import type { Actor } from '../../auth/roles';
import { ConventionId, StatementNumber } from '../../http/path-params';
import { CommandController, CommandRoute } from '../shared/command-route';
import { CommandSender } from '../shared/command-sender';
import { DrawUpStatementRequest } from './draw-up-statement.request';
import { SignStatementRequest } from './sign-statement.request';
import { statementResponse } from './statement-response';

/** D1-D3 (libs/domain/src/decide/statements.ts): statements of expenses (ERDA) and their signatures. */
@CommandController()
export class StatementsController {
  constructor(private readonly commands: CommandSender) {}

  @CommandRoute('DrawUpStatement', ':id/statements', 201, 'beneficiary')
  async drawUpStatement(@ConventionId() conventionId: string, @Body() body: DrawUpStatementRequest, @Req() request: Request) {
    return statementResponse(await this.commands.send(conventionId, request, body.toCommand()));
  }

  @CommandRoute('SignStatement', ':id/statements/:number/signatures', 201)
  async signStatement(
    @ConventionId() conventionId: string, @StatementNumber() number: number, @Body() body: SignStatementRequest, @Req() request: Request, @CurrentActor() actor: Actor,
  ) {
    assertHasRole(actor, body.as); // D2: each signature is given by the holder of that role.
    const { position } = await this.commands.send(conventionId, request, body.toCommand(number, actor.subject));
    return { number, position };
  }
}
