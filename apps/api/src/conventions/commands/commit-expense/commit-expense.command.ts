import { CommandHandler } from '@nestjs/cqrs';
import type { CommitExpense } from '@cl/domain';
import { ConventionCommandHandler, ConventionCommandMessage } from '../convention-command.message';

export class CommitExpenseCommand extends ConventionCommandMessage<CommitExpense> {}

@CommandHandler(CommitExpenseCommand)
export class CommitExpenseHandler extends ConventionCommandHandler<CommitExpenseCommand> {}
