import { Body, Param, Req } from '@nestjs/common';
import type { Request } from 'express';
import { CommandController, CommandRoute } from '../shared/command-route';
import { CommandSender } from '../shared/command-sender';
import { ConventionIdPipe, ExpenseIdPipe } from '../../../http/path-params';
import { RecordExpensePaymentCommand } from './record-expense-payment.command';
import { RecordExpensePaymentRequest } from './record-expense-payment.request';

@CommandController()
export class RecordExpensePaymentController {
  constructor(private readonly sender: CommandSender) {}

  @CommandRoute(':id/expenses/:expenseId/payment', 200, 'beneficiary')
  async recordExpensePayment(
    @Param('id', ConventionIdPipe) conventionId: string,
    @Param('expenseId', ExpenseIdPipe) expenseId: string,
    @Body() body: RecordExpensePaymentRequest,
    @Req() request: Request,
  ) {
    const outcome = await this.sender.send(RecordExpensePaymentCommand, conventionId, request, body.toCommand(expenseId));
    return { expenseId, position: outcome.position };
  }
}
