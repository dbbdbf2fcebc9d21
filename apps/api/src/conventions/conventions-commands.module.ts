import { Module } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import { ConventionCommandExecutor } from './application/convention-command.executor';
import { AcceptExpenseController } from './commands/accept-expense/accept-expense.controller';
import { AcceptExpenseHandler } from './commands/accept-expense/accept-expense.command';
import { AmendConventionController } from './commands/amend-convention/amend-convention.controller';
import { AmendConventionHandler } from './commands/amend-convention/amend-convention.command';
import { CloseConventionController } from './commands/close-convention/close-convention.controller';
import { CloseConventionHandler } from './commands/close-convention/close-convention.command';
import { CommitExpenseController } from './commands/commit-expense/commit-expense.controller';
import { CommitExpenseHandler } from './commands/commit-expense/commit-expense.command';
import { DrawUpStatementController } from './commands/draw-up-statement/draw-up-statement.controller';
import { DrawUpStatementHandler } from './commands/draw-up-statement/draw-up-statement.command';
import { IssueFundCallController } from './commands/issue-fund-call/issue-fund-call.controller';
import { IssueFundCallHandler } from './commands/issue-fund-call/issue-fund-call.command';
import { PayRestitutionController } from './commands/pay-restitution/pay-restitution.controller';
import { PayRestitutionHandler } from './commands/pay-restitution/pay-restitution.command';
import { PayTrancheController } from './commands/pay-tranche/pay-tranche.controller';
import { PayTrancheHandler } from './commands/pay-tranche/pay-tranche.command';
import { RecordExpensePaymentController } from './commands/record-expense-payment/record-expense-payment.controller';
import { RecordExpensePaymentHandler } from './commands/record-expense-payment/record-expense-payment.command';
import { RecordServiceDoneController } from './commands/record-service-done/record-service-done.controller';
import { RecordServiceDoneHandler } from './commands/record-service-done/record-service-done.command';
import { RegisterConventionController } from './commands/register-convention/register-convention.controller';
import { RegisterConventionHandler } from './commands/register-convention/register-convention.command';
import { RejectExpenseController } from './commands/reject-expense/reject-expense.controller';
import { RejectExpenseHandler } from './commands/reject-expense/reject-expense.command';
import { SignConventionController } from './commands/sign-convention/sign-convention.controller';
import { SignConventionHandler } from './commands/sign-convention/sign-convention.command';
import { SignStatementController } from './commands/sign-statement/sign-statement.controller';
import { SignStatementHandler } from './commands/sign-statement/sign-statement.command';
import { TerminateConventionController } from './commands/terminate-convention/terminate-convention.controller';
import { TerminateConventionHandler } from './commands/terminate-convention/terminate-convention.command';
import { CommandSender } from './commands/shared/command-sender';
import { ID_GENERATOR, uuidIdGenerator } from './commands/shared/id-generator';

/** The write side: one controller and one handler per command of docs/api.md. */
@Module({
  imports: [CqrsModule],
  controllers: [
    RegisterConventionController, SignConventionController, CommitExpenseController, RecordServiceDoneController,
    RecordExpensePaymentController, AcceptExpenseController, RejectExpenseController, DrawUpStatementController,
    SignStatementController, IssueFundCallController, PayTrancheController, AmendConventionController,
    CloseConventionController, TerminateConventionController, PayRestitutionController,
  ],
  providers: [
    ConventionCommandExecutor,
    CommandSender,
    { provide: ID_GENERATOR, useValue: uuidIdGenerator },
    RegisterConventionHandler, SignConventionHandler, CommitExpenseHandler, RecordServiceDoneHandler,
    RecordExpensePaymentHandler, AcceptExpenseHandler, RejectExpenseHandler, DrawUpStatementHandler,
    SignStatementHandler, IssueFundCallHandler, PayTrancheHandler, AmendConventionHandler,
    CloseConventionHandler, TerminateConventionHandler, PayRestitutionHandler,
  ],
})
export class ConventionsCommandsModule {}
