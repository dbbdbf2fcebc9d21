import { CommandHandler } from '@nestjs/cqrs';
import type { SignConvention } from '@cl/domain';
import { ConventionCommandHandler, ConventionCommandMessage } from '../convention-command.message';

export class SignConventionCommand extends ConventionCommandMessage<SignConvention> {}

@CommandHandler(SignConventionCommand)
export class SignConventionHandler extends ConventionCommandHandler<SignConventionCommand> {}
