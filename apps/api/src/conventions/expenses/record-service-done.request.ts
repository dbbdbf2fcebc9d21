import { ApiProperty } from '@nestjs/swagger';
import type { RecordServiceDone } from '@cl/domain';
import { IsBusinessDate } from '../../http/validators';

export class RecordServiceDoneRequest {
  @ApiProperty({ example: '2020-07-01' }) @IsBusinessDate() on: string;

  toCommand(expenseId: string): RecordServiceDone {
    return { type: 'RecordServiceDone', expenseId, on: this.on };
  }
}
