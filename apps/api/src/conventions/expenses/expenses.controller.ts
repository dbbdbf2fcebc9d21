import { Body, Req } from '@nestjs/common';
import type { Request } from 'express';
import type { ConventionCommand } from '@cl/domain';
import { ConventionId, ExpenseId } from '../../http/path-params';
import { CommandController, CommandRoute } from '../shared/command-route';
import { CommandSender } from '../shared/command-sender';
import { AcceptExpenseRequest } from './accept-expense.request';
import { CommitExpenseRequest } from './commit-expense.request';
import { RecordExpensePaymentRequest } from './record-expense-payment.request';
import { RecordServiceDoneRequest } from './record-service-done.request';
import { RejectExpenseRequest } from './reject-expense.request';

/** E1-E4 (libs/domain/src/decide/expenses.ts): an expense is committed, then goes step by step. */
@CommandController()
export class ExpensesController {
  constructor(private readonly commands: CommandSender) {}

  @CommandRoute('CommitExpense', ':id/expenses', 201, 'beneficiary')
  commitExpense(@ConventionId() conventionId: string, @Body() body: CommitExpenseRequest, @Req() request: Request) {
    return this.send(conventionId, request, body.toCommand(this.commands.newId('expense', request)));
  }

  @CommandRoute('RecordServiceDone', ':id/expenses/:expenseId/service-done', 200, 'beneficiary')
  recordServiceDone(@ConventionId() conventionId: string, @ExpenseId() expenseId: string, @Body() body: RecordServiceDoneRequest, @Req() request: Request) {
    return this.send(conventionId, request, body.toCommand(expenseId));
  }

  @CommandRoute('RecordExpensePayment', ':id/expenses/:expenseId/payment', 200, 'beneficiary')
  recordExpensePayment(@ConventionId() conventionId: string, @ExpenseId() expenseId: string, @Body() body: RecordExpensePaymentRequest, @Req() request: Request) {
    return this.send(conventionId, request, body.toCommand(expenseId));
  }

  @CommandRoute('AcceptExpense', ':id/expenses/:expenseId/acceptance', 200, 'public-accountant')
  acceptExpense(@ConventionId() conventionId: string, @ExpenseId() expenseId: string, @Body() body: AcceptExpenseRequest, @Req() request: Request) {
    return this.send(conventionId, request, body.toCommand(expenseId));
  }

  @CommandRoute('RejectExpense', ':id/expenses/:expenseId/rejection', 200, 'public-accountant', 'funder')
  rejectExpense(@ConventionId() conventionId: string, @ExpenseId() expenseId: string, @Body() body: RejectExpenseRequest, @Req() request: Request) {
    return this.send(conventionId, request, body.toCommand(expenseId));
  }

  /** Every expense command answers with the expense it concerns. */
  private async send(conventionId: string, request: Request, command: ConventionCommand & { expenseId: string }) {
    const { position } = await this.commands.send(conventionId, request, command);
    return { expenseId: command.expenseId, position };
  }
}
