import { CommandHandler } from '@nestjs/cqrs';
import type { IssueFundCall } from '@cl/domain';
import { ConventionCommandHandler, ConventionCommandMessage } from '../convention-command.message';

export class IssueFundCallCommand extends ConventionCommandMessage<IssueFundCall> {}

@CommandHandler(IssueFundCallCommand)
export class IssueFundCallHandler extends ConventionCommandHandler<IssueFundCallCommand> {}
