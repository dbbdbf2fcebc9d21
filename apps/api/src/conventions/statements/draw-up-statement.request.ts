import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import type { DrawUpStatement } from '@cl/domain';
import { IsBoolean } from 'class-validator';
import { IsBusinessDate, IsOptionalButNotNull } from '../../http/validators';

export class DrawUpStatementRequest {
  @ApiProperty({ example: '2020-12-31' }) @IsBusinessDate() cutoff: string;
  @ApiProperty({ example: false }) @IsBoolean() final: boolean;

  @ApiPropertyOptional({ example: '2021-01-04', description: 'the day it is drawn up (D1): default the cutoff; never before it, never after today' })
  @IsOptionalButNotNull() @IsBusinessDate()
  drawnUpOn?: string;

  toCommand(): DrawUpStatement {
    return { type: 'DrawUpStatement', cutoff: this.cutoff, final: this.final, ...(this.drawnUpOn !== undefined ? { drawnUpOn: this.drawnUpOn } : {}) };
  }
}
