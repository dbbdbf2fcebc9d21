import { Body, Controller, HttpCode, Param, Post, Req } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import type { Request } from 'express';
import { RequireRoles } from '../../../auth/auth.decorators';
import { CommandSender } from '../shared/command-sender';
import { ConventionIdPipe, ExpenseIdPipe } from '../shared/path-params';
import { RejectExpenseCommand } from './reject-expense.command';
import { RejectExpenseRequest } from './reject-expense.request';

@ApiTags('commands')
@ApiBearerAuth()
@Controller('conventions')
export class RejectExpenseController {
  constructor(private readonly sender: CommandSender) {}

  @Post(':id/expenses/:expenseId/rejection')
  @HttpCode(200)
  @RequireRoles('public-accountant', 'funder')
  async rejectExpense(
    @Param('id', ConventionIdPipe) conventionId: string,
    @Param('expenseId', ExpenseIdPipe) expenseId: string,
    @Body() body: RejectExpenseRequest,
    @Req() request: Request,
  ) {
    const outcome = await this.sender.send(RejectExpenseCommand, conventionId, request, () => body.toCommand(expenseId));
    return { expenseId, position: outcome.position };
  }
}
