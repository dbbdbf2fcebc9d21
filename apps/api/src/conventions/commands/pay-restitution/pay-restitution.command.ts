import { CommandHandler } from '@nestjs/cqrs';
import type { PayRestitution } from '@cl/domain';
import { ConventionCommandHandler, ConventionCommandMessage } from '../convention-command.message';

export class PayRestitutionCommand extends ConventionCommandMessage<PayRestitution> {}

@CommandHandler(PayRestitutionCommand)
export class PayRestitutionHandler extends ConventionCommandHandler<PayRestitutionCommand> {}
