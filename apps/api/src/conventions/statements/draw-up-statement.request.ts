import { ApiProperty } from '@nestjs/swagger';
import type { DrawUpStatement } from '@cl/domain';
import { IsBoolean } from 'class-validator';
import { IsBusinessDate } from '../../http/validators';

export class DrawUpStatementRequest {
  @ApiProperty({ example: '2020-12-31' }) @IsBusinessDate() cutoff: string;
  @ApiProperty({ example: false }) @IsBoolean() final: boolean;

  toCommand(): DrawUpStatement {
    return { type: 'DrawUpStatement', cutoff: this.cutoff, final: this.final };
  }
}
