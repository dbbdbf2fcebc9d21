import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsInt, Min } from 'class-validator';
import { MAX_TEXT_LENGTH, money, type PayTranche } from '@cl/domain';
import { IsBusinessDate, IsOptionalButNotNull, IsPositiveMoney } from '../../http/validators';
import { IsText } from '../shared/text';

export class PayTrancheRequest {
  @ApiProperty({ example: 1 }) @IsInt() @Min(1) tranche: number;
  @ApiProperty({ example: '800000.00' }) @IsPositiveMoney() amount: string;
  @ApiProperty({ example: '2020-05-20' }) @IsBusinessDate() paidOn: string;
  @ApiPropertyOptional({ example: 'VIR-2020-0142' }) @IsOptionalButNotNull() @IsText(MAX_TEXT_LENGTH.paymentReference) reference?: string;

  toCommand(paymentId: string): PayTranche {
    return {
      type: 'PayTranche', paymentId, tranche: this.tranche, amount: money(this.amount), paidOn: this.paidOn,
      ...(this.reference !== undefined ? { reference: this.reference } : {}),
    };
  }
}
