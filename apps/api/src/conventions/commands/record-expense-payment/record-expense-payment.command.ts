import { CommandHandler } from '@nestjs/cqrs';
import type { RecordExpensePayment } from '@cl/domain';
import { ConventionCommandHandler, ConventionCommandMessage } from '../convention-command.message';

export class RecordExpensePaymentCommand extends ConventionCommandMessage<RecordExpensePayment> {}

@CommandHandler(RecordExpensePaymentCommand)
export class RecordExpensePaymentHandler extends ConventionCommandHandler<RecordExpensePaymentCommand> {}
