import { Body, Param, Req } from '@nestjs/common';
import type { Request } from 'express';
import { CommandController, CommandRoute } from '../shared/command-route';
import { CommandSender } from '../shared/command-sender';
import { ConventionIdPipe } from '../../../http/path-params';
import { CommitExpenseCommand } from './commit-expense.command';
import { CommitExpenseRequest } from './commit-expense.request';

@CommandController()
export class CommitExpenseController {
  constructor(private readonly sender: CommandSender) {}

  @CommandRoute(':id/expenses', 201, 'beneficiary')
  async commitExpense(
    @Param('id', ConventionIdPipe) conventionId: string,
    @Body() body: CommitExpenseRequest,
    @Req() request: Request,
  ) {
    const { id: expenseId, outcome } = await this.sender.sendCreating(CommitExpenseCommand, conventionId, request, 'expense', (id) => body.toCommand(id));
    return { expenseId, position: outcome.position };
  }
}
