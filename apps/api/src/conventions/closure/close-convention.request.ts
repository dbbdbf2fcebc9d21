import { ApiProperty } from '@nestjs/swagger';
import type { CloseConvention } from '@cl/domain';
import { IsInt, Min } from 'class-validator';
import { IsBusinessDate } from '../../http/validators';

export class CloseConventionRequest {
  @ApiProperty({ example: '2021-06-30' }) @IsBusinessDate() on: string;
  @ApiProperty({ example: 2, description: 'number of the final statement' }) @IsInt() @Min(1) statement: number;

  toCommand(): CloseConvention {
    return { type: 'CloseConvention', on: this.on, statement: this.statement };
  }
}
