import { ApiProperty } from '@nestjs/swagger';
import { MAX_TEXT_LENGTH, type TerminateConvention } from '@cl/domain';
import { IsIn } from 'class-validator';
import { IsBusinessDate } from '../../http/validators';
import { IsText } from '../shared/text';

export class TerminateConventionRequest {
  @ApiProperty({ example: '2020-11-30' }) @IsBusinessDate() on: string;
  @ApiProperty({ example: 'Sommes utilisées à des fins non conformes' }) @IsText(MAX_TEXT_LENGTH.description) reason: string;
  @ApiProperty({ enum: ['funder', 'beneficiary'] }) @IsIn(['funder', 'beneficiary']) atFault: 'funder' | 'beneficiary';

  toCommand(): TerminateConvention {
    return { type: 'TerminateConvention', on: this.on, reason: this.reason, atFault: this.atFault };
  }
}
