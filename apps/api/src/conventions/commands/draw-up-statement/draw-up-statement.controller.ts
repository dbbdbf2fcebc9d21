import { Body, Param, Req } from '@nestjs/common';
import type { Request } from 'express';
import { CommandController, CommandRoute } from '../shared/command-route';
import { CommandSender } from '../shared/command-sender';
import { ConventionIdPipe } from '../../../http/path-params';
import { statementResponse } from './statement-response';
import { DrawUpStatementCommand } from './draw-up-statement.command';
import { DrawUpStatementRequest } from './draw-up-statement.request';

@CommandController()
export class DrawUpStatementController {
  constructor(private readonly sender: CommandSender) {}

  @CommandRoute(':id/statements', 201, 'beneficiary')
  async drawUpStatement(
    @Param('id', ConventionIdPipe) conventionId: string,
    @Body() body: DrawUpStatementRequest,
    @Req() request: Request,
  ) {
    const outcome = await this.sender.send(DrawUpStatementCommand, conventionId, request, body.toCommand());
    return statementResponse(outcome);
  }
}
