import { CommandHandler } from '@nestjs/cqrs';
import type { TerminateConvention } from '@cl/domain';
import { ConventionCommandHandler, ConventionCommandMessage } from '../convention-command.message';

export class TerminateConventionCommand extends ConventionCommandMessage<TerminateConvention> {}

@CommandHandler(TerminateConventionCommand)
export class TerminateConventionHandler extends ConventionCommandHandler<TerminateConventionCommand> {}
