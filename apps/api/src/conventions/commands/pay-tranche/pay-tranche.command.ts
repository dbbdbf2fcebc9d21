import { CommandHandler } from '@nestjs/cqrs';
import type { PayTranche } from '@cl/domain';
import { ConventionCommandHandler, ConventionCommandMessage } from '../convention-command.message';

export class PayTrancheCommand extends ConventionCommandMessage<PayTranche> {}

@CommandHandler(PayTrancheCommand)
export class PayTrancheHandler extends ConventionCommandHandler<PayTrancheCommand> {}
