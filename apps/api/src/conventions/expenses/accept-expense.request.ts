import { ApiProperty } from '@nestjs/swagger';
import type { AcceptExpense } from '@cl/domain';
import { IsBusinessDate } from '../../http/validators';

export class AcceptExpenseRequest {
  @ApiProperty({ example: '2020-07-20' }) @IsBusinessDate() on: string;

  toCommand(expenseId: string): AcceptExpense {
    return { type: 'AcceptExpense', expenseId, on: this.on };
  }
}
