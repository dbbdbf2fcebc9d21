import { CommandHandler } from '@nestjs/cqrs';
import type { RejectExpense } from '@cl/domain';
import { ConventionCommandHandler, ConventionCommandMessage } from '../convention-command.message';

export class RejectExpenseCommand extends ConventionCommandMessage<RejectExpense> {}

@CommandHandler(RejectExpenseCommand)
export class RejectExpenseHandler extends ConventionCommandHandler<RejectExpenseCommand> {}
