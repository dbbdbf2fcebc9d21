import { CommandHandler } from '@nestjs/cqrs';
import type { DrawUpStatement } from '@cl/domain';
import { ConventionCommandHandler, ConventionCommandMessage } from '../convention-command.message';

export class DrawUpStatementCommand extends ConventionCommandMessage<DrawUpStatement> {}

@CommandHandler(DrawUpStatementCommand)
export class DrawUpStatementHandler extends ConventionCommandHandler<DrawUpStatementCommand> {}
