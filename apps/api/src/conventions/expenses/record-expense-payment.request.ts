import { ApiProperty } from '@nestjs/swagger';
import type { RecordExpensePayment } from '@cl/domain';
import { IsBusinessDate } from '../../http/validators';

export class RecordExpensePaymentRequest {
  @ApiProperty({ example: '2020-07-15' }) @IsBusinessDate() paidOn: string;

  toCommand(expenseId: string): RecordExpensePayment {
    return { type: 'RecordExpensePayment', expenseId, paidOn: this.paidOn };
  }
}
