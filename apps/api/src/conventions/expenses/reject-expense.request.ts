import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { MAX_TEXT_LENGTH, type RejectExpense } from '@cl/domain';
import { IsBusinessDate, IsOptionalButNotNull } from '../../http/validators';
import { IsText } from '../shared/text';
import { IsDocumentNumber } from './document-number';

export class RejectExpenseRequest {
  @ApiProperty({ example: '2020-08-01' }) @IsBusinessDate() on: string;
  @ApiProperty({ example: 'Dépense hors annexe 2' }) @IsText(MAX_TEXT_LENGTH.description) reason: string;

  @ApiPropertyOptional({ example: 'TP-2021-000318', description: 'the recovery order (titre de perception) issued for misused money (E3)' })
  @IsOptionalButNotNull() @IsDocumentNumber()
  recoveryOrder?: string;

  toCommand(expenseId: string): RejectExpense {
    return { type: 'RejectExpense', expenseId, on: this.on, reason: this.reason, ...(this.recoveryOrder !== undefined ? { recoveryOrder: this.recoveryOrder } : {}) };
  }
}
