import { ApiProperty } from '@nestjs/swagger';
import { MAX_TEXT_LENGTH, type SignConvention } from '@cl/domain';
import { IsIn } from 'class-validator';
import { IsBusinessDate } from '../../http/validators';
import { IsText } from '../shared/text';

export class SignConventionRequest {
  @ApiProperty({ enum: ['funder', 'beneficiary'] }) @IsIn(['funder', 'beneficiary']) party: 'funder' | 'beneficiary';
  @ApiProperty({ example: 'Yves Le Breton' }) @IsText(MAX_TEXT_LENGTH.name) signatory: string;
  @ApiProperty({ example: '2020-05-11' }) @IsBusinessDate() signedOn: string;

  toCommand(): SignConvention {
    return { type: 'SignConvention', party: this.party, signatory: this.signatory, signedOn: this.signedOn };
  }
}
