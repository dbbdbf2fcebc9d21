import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { MAX_TEXT_LENGTH, money, type PaySettlement } from '@cl/domain';
import { IsBusinessDate, IsOptionalButNotNull, IsPositiveMoney } from '../../http/validators';
import { IsText } from '../shared/text';

/** R2 (v2): the funder pays what it owes the beneficiary after closure or termination. */
export class PaySettlementRequest {
  @ApiProperty({ example: '40000.00', description: 'never beyond what is owed to the beneficiary (owedToBeneficiary.outstanding)' })
  @IsPositiveMoney()
  amount: string;

  @ApiProperty({ example: '2021-07-20', description: 'not before the closure or the termination’s effect, not after today' })
  @IsBusinessDate()
  paidOn: string;

  @ApiPropertyOptional({ example: 'VIR-2021-0733', description: 'the bank transfer’s reference' })
  @IsOptionalButNotNull() @IsText(MAX_TEXT_LENGTH.paymentReference)
  reference?: string;

  toCommand(paymentId: string): PaySettlement {
    return {
      type: 'PaySettlement', paymentId, amount: money(this.amount), paidOn: this.paidOn,
      ...(this.reference !== undefined ? { reference: this.reference } : {}),
    };
  }
}
