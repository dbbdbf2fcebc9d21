import { Body, Param, Req } from '@nestjs/common';
import type { Request } from 'express';
import { CommandController, CommandRoute } from '../shared/command-route';
import { CommandSender } from '../shared/command-sender';
import { ConventionIdPipe, ExpenseIdPipe } from '../../../http/path-params';
import { RecordServiceDoneCommand } from './record-service-done.command';
import { RecordServiceDoneRequest } from './record-service-done.request';

@CommandController()
export class RecordServiceDoneController {
  constructor(private readonly sender: CommandSender) {}

  @CommandRoute(':id/expenses/:expenseId/service-done', 200, 'beneficiary')
  async recordServiceDone(
    @Param('id', ConventionIdPipe) conventionId: string,
    @Param('expenseId', ExpenseIdPipe) expenseId: string,
    @Body() body: RecordServiceDoneRequest,
    @Req() request: Request,
  ) {
    const outcome = await this.sender.send(RecordServiceDoneCommand, conventionId, request, body.toCommand(expenseId));
    return { expenseId, position: outcome.position };
  }
}
