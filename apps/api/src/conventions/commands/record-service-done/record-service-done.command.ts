import { CommandHandler } from '@nestjs/cqrs';
import type { RecordServiceDone } from '@cl/domain';
import { ConventionCommandHandler, ConventionCommandMessage } from '../convention-command.message';

export class RecordServiceDoneCommand extends ConventionCommandMessage<RecordServiceDone> {}

@CommandHandler(RecordServiceDoneCommand)
export class RecordServiceDoneHandler extends ConventionCommandHandler<RecordServiceDoneCommand> {}
