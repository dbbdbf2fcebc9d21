import { ApiProperty } from '@nestjs/swagger';
import { MAX_TEXT_LENGTH, type RejectExpense } from '@cl/domain';
import { IsBusinessDate } from '../../http/validators';
import { IsText } from '../shared/text';

export class RejectExpenseRequest {
  @ApiProperty({ example: '2020-08-01' }) @IsBusinessDate() on: string;
  @ApiProperty({ example: 'Dépense hors annexe 2' }) @IsText(MAX_TEXT_LENGTH.description) reason: string;

  toCommand(expenseId: string): RejectExpense {
    return { type: 'RejectExpense', expenseId, on: this.on, reason: this.reason };
  }
}
