import { CommandHandler } from '@nestjs/cqrs';
import type { AmendConvention } from '@cl/domain';
import { ConventionCommandHandler, ConventionCommandMessage } from '../convention-command.message';

export class AmendConventionCommand extends ConventionCommandMessage<AmendConvention> {}

@CommandHandler(AmendConventionCommand)
export class AmendConventionHandler extends ConventionCommandHandler<AmendConventionCommand> {}
