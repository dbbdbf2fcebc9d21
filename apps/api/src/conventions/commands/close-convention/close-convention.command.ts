import { CommandHandler } from '@nestjs/cqrs';
import type { CloseConvention } from '@cl/domain';
import { ConventionCommandHandler, ConventionCommandMessage } from '../convention-command.message';

export class CloseConventionCommand extends ConventionCommandMessage<CloseConvention> {}

@CommandHandler(CloseConventionCommand)
export class CloseConventionHandler extends ConventionCommandHandler<CloseConventionCommand> {}
