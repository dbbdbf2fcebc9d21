import { CommandHandler } from '@nestjs/cqrs';
import type { SignStatement } from '@cl/domain';
import { ConventionCommandHandler, ConventionCommandMessage } from '../convention-command.message';

export class SignStatementCommand extends ConventionCommandMessage<SignStatement> {}

@CommandHandler(SignStatementCommand)
export class SignStatementHandler extends ConventionCommandHandler<SignStatementCommand> {}
