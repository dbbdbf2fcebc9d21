import { Body, Controller, HttpCode, Param, Post, Req } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import type { Request } from 'express';
import { RequireRoles } from '../../../auth/auth.decorators';
import { CommandSender } from '../shared/command-sender';
import { ConventionIdPipe, ExpenseIdPipe } from '../shared/path-params';
import { RecordExpensePaymentCommand } from './record-expense-payment.command';
import { RecordExpensePaymentRequest } from './record-expense-payment.request';

@ApiTags('commands')
@ApiBearerAuth()
@Controller('conventions')
export class RecordExpensePaymentController {
  constructor(private readonly sender: CommandSender) {}

  @Post(':id/expenses/:expenseId/payment')
  @HttpCode(200)
  @RequireRoles('beneficiary')
  async recordExpensePayment(
    @Param('id', ConventionIdPipe) conventionId: string,
    @Param('expenseId', ExpenseIdPipe) expenseId: string,
    @Body() body: RecordExpensePaymentRequest,
    @Req() request: Request,
  ) {
    const outcome = await this.sender.send(RecordExpensePaymentCommand, conventionId, request, () => body.toCommand(expenseId));
    return { expenseId, position: outcome.position };
  }
}
