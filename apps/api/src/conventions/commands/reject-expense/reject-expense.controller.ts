import { Body, Param, Req } from '@nestjs/common';
import type { Request } from 'express';
import { CommandController, CommandRoute } from '../shared/command-route';
import { CommandSender } from '../shared/command-sender';
import { ConventionIdPipe, ExpenseIdPipe } from '../../../http/path-params';
import { RejectExpenseCommand } from './reject-expense.command';
import { RejectExpenseRequest } from './reject-expense.request';

@CommandController()
export class RejectExpenseController {
  constructor(private readonly sender: CommandSender) {}

  @CommandRoute(':id/expenses/:expenseId/rejection', 200, 'public-accountant', 'funder')
  async rejectExpense(
    @Param('id', ConventionIdPipe) conventionId: string,
    @Param('expenseId', ExpenseIdPipe) expenseId: string,
    @Body() body: RejectExpenseRequest,
    @Req() request: Request,
  ) {
    const outcome = await this.sender.send(RejectExpenseCommand, conventionId, request, body.toCommand(expenseId));
    return { expenseId, position: outcome.position };
  }
}
