import { Body, Controller, HttpCode, Param, Post, Req } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import type { Request } from 'express';
import { RequireRoles } from '../../../auth/auth.decorators';
import { CommandSender } from '../shared/command-sender';
import { ConventionIdPipe, ExpenseIdPipe } from '../shared/path-params';
import { AcceptExpenseCommand } from './accept-expense.command';
import { AcceptExpenseRequest } from './accept-expense.request';

@ApiTags('commands')
@ApiBearerAuth()
@Controller('conventions')
export class AcceptExpenseController {
  constructor(private readonly sender: CommandSender) {}

  @Post(':id/expenses/:expenseId/acceptance')
  @HttpCode(200)
  @RequireRoles('public-accountant')
  async acceptExpense(
    @Param('id', ConventionIdPipe) conventionId: string,
    @Param('expenseId', ExpenseIdPipe) expenseId: string,
    @Body() body: AcceptExpenseRequest,
    @Req() request: Request,
  ) {
    const outcome = await this.sender.send(AcceptExpenseCommand, conventionId, request, () => body.toCommand(expenseId));
    return { expenseId, position: outcome.position };
  }
}
