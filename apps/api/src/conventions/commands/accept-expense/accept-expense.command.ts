import { CommandHandler } from '@nestjs/cqrs';
import type { AcceptExpense } from '@cl/domain';
import { ConventionCommandHandler, ConventionCommandMessage } from '../convention-command.message';

export class AcceptExpenseCommand extends ConventionCommandMessage<AcceptExpense> {}

@CommandHandler(AcceptExpenseCommand)
export class AcceptExpenseHandler extends ConventionCommandHandler<AcceptExpenseCommand> {}
