import { Body, Inject, Param, Req } from '@nestjs/common';
import type { Request } from 'express';
import { CommandController, CommandRoute } from '../shared/command-route';
import { CommandSender } from '../shared/command-sender';
import { ID_GENERATOR, type IdGenerator } from '../shared/id-generator';
import { ConventionIdPipe } from '../shared/path-params';
import { CommitExpenseCommand } from './commit-expense.command';
import { CommitExpenseRequest } from './commit-expense.request';

@CommandController()
export class CommitExpenseController {
  constructor(
    private readonly sender: CommandSender,
    @Inject(ID_GENERATOR) private readonly ids: IdGenerator,
  ) {}

  @CommandRoute(':id/expenses', 201, 'beneficiary')
  async commitExpense(
    @Param('id', ConventionIdPipe) conventionId: string,
    @Body() body: CommitExpenseRequest,
    @Req() request: Request,
  ) {
    let expenseId = '';
    const outcome = await this.sender.send(CommitExpenseCommand, conventionId, request, (context) => body.toCommand((expenseId = this.ids.newId('expense', context))));
    return { expenseId, position: outcome.position };
  }
}
