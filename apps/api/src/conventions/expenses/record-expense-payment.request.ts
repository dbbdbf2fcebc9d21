import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import type { RecordExpensePayment } from '@cl/domain';
import { IsBusinessDate, IsOptionalButNotNull } from '../../http/validators';
import { IsDocumentNumber } from './document-number';

export class RecordExpensePaymentRequest {
  @ApiProperty({ example: '2020-07-15' }) @IsBusinessDate() paidOn: string;

  @ApiPropertyOptional({ example: 'MP-2020-004512', description: 'the payment order (mandat de paiement, E2)' })
  @IsOptionalButNotNull() @IsDocumentNumber()
  paymentOrder?: string;

  toCommand(expenseId: string): RecordExpensePayment {
    return { type: 'RecordExpensePayment', expenseId, paidOn: this.paidOn, ...(this.paymentOrder !== undefined ? { paymentOrder: this.paymentOrder } : {}) };
  }
}
