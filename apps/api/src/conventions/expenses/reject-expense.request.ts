import { ApiProperty } from '@nestjs/swagger';
import type { RejectExpense } from '@cl/domain';
import { IsBusinessDate } from '../../http/validators';
import { IsText } from '../shared/text';

export class RejectExpenseRequest {
  @ApiProperty({ example: '2020-08-01' }) @IsBusinessDate() on: string;
  @ApiProperty({ example: 'Dépense hors annexe 2' }) @IsText(1000) reason: string;

  toCommand(expenseId: string): RejectExpense {
    return { type: 'RejectExpense', expenseId, on: this.on, reason: this.reason };
  }
}
