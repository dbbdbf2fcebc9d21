import { ApiProperty } from '@nestjs/swagger';
import type { PayRestitution } from '@cl/domain';
import { money } from '@cl/domain';
import { IsBusinessDate, IsPositiveMoney } from '../../http/validators';

export class PayRestitutionRequest {
  @ApiProperty({ example: '539999.25' }) @IsPositiveMoney() amount: string;
  @ApiProperty({ example: '2021-07-15' }) @IsBusinessDate() paidOn: string;

  toCommand(restitutionId: string): PayRestitution {
    return { type: 'PayRestitution', restitutionId, amount: money(this.amount), paidOn: this.paidOn };
  }
}
