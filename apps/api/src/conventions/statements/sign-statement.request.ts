import { ApiProperty } from '@nestjs/swagger';
import { MAX_TEXT_LENGTH, type SignStatement } from '@cl/domain';
import { IsIn } from 'class-validator';
import { IsBusinessDate } from '../../http/validators';
import { IsText } from '../shared/text';

export class SignStatementRequest {
  @ApiProperty({ enum: ['authorizing-officer', 'public-accountant'] }) @IsIn(['authorizing-officer', 'public-accountant']) as: 'authorizing-officer' | 'public-accountant';
  @ApiProperty({ example: 'Jeanne Martin' }) @IsText(MAX_TEXT_LENGTH.name) signatory: string;
  @ApiProperty({ example: '2021-01-10' }) @IsBusinessDate() signedOn: string;

  toCommand(number: number, subject: string): SignStatement {
    return { type: 'SignStatement', number, as: this.as, signatory: this.signatory, subject, signedOn: this.signedOn };
  }
}
