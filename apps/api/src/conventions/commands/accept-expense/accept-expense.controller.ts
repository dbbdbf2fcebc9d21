import { Body, Param, Req } from '@nestjs/common';
import type { Request } from 'express';
import { CommandController, CommandRoute } from '../shared/command-route';
import { CommandSender } from '../shared/command-sender';
import { ConventionIdPipe, ExpenseIdPipe } from '../../../http/path-params';
import { AcceptExpenseCommand } from './accept-expense.command';
import { AcceptExpenseRequest } from './accept-expense.request';

@CommandController()
export class AcceptExpenseController {
  constructor(private readonly sender: CommandSender) {}

  @CommandRoute(':id/expenses/:expenseId/acceptance', 200, 'public-accountant')
  async acceptExpense(
    @Param('id', ConventionIdPipe) conventionId: string,
    @Param('expenseId', ExpenseIdPipe) expenseId: string,
    @Body() body: AcceptExpenseRequest,
    @Req() request: Request,
  ) {
    const outcome = await this.sender.send(AcceptExpenseCommand, conventionId, request, body.toCommand(expenseId));
    return { expenseId, position: outcome.position };
  }
}
