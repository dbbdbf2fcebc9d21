import { ApiProperty } from '@nestjs/swagger';
import type { IssueFundCall } from '@cl/domain';
import { IsInt, Min } from 'class-validator';
import { IsBusinessDate } from '../../http/validators';

export class IssueFundCallRequest {
  @ApiProperty({ example: 2 }) @IsInt() @Min(1) tranche: number;
  @ApiProperty({ example: 1 }) @IsInt() @Min(1) statement: number;
  @ApiProperty({ example: '2021-01-15' }) @IsBusinessDate() issuedOn: string;

  toCommand(): IssueFundCall {
    return { type: 'IssueFundCall', tranche: this.tranche, statement: this.statement, issuedOn: this.issuedOn };
  }
}
