import { CommandHandler } from '@nestjs/cqrs';
import type { RegisterConvention } from '@cl/domain';
import { ConventionCommandHandler, ConventionCommandMessage } from '../convention-command.message';

export class RegisterConventionCommand extends ConventionCommandMessage<RegisterConvention> {}

@CommandHandler(RegisterConventionCommand)
export class RegisterConventionHandler extends ConventionCommandHandler<RegisterConventionCommand> {}
