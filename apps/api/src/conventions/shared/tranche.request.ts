import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsObject, ValidateBy, ValidateIf, ValidateNested } from 'class-validator';
import { money, type TrancheRequest } from '@cl/domain';
import { IsPositiveMoney } from '../../http/validators';

export class TrancheReleaseRequest {
  @ApiProperty({ enum: ['signature', 'consumption'] })
  @IsIn(['signature', 'consumption'])
  on: 'signature' | 'consumption';

  @ApiPropertyOptional({ example: '600000.00', description: 'required when on = "consumption": consumed amount that releases the tranche' })
  @ValidateIf((release: TrancheReleaseRequest) => release.on === 'consumption' || release.threshold !== undefined)
  @IsPositiveMoney({ message: 'threshold must be a positive amount string, e.g. "600000.00"' })
  @ValidateBy({
    name: 'thresholdOnlyOnConsumption',
    validator: {
      validate: (_: unknown, args) => (args?.object as TrancheReleaseRequest).on === 'consumption',
      defaultMessage: () => 'threshold only applies to on = "consumption"',
    },
  })
  threshold?: string;
}

export class TrancheRequestBody {
  @ApiProperty({ example: '800000.00' })
  @IsPositiveMoney()
  amount: string;

  @ApiProperty({ type: TrancheReleaseRequest })
  @IsObject()
  @ValidateNested()
  @Type(() => TrancheReleaseRequest)
  release: TrancheReleaseRequest;
}

export function toTrancheRequest(body: TrancheRequestBody): TrancheRequest {
  return body.release.on === 'signature'
    ? { amount: money(body.amount), release: { on: 'signature' } }
    : { amount: money(body.amount), release: { on: 'consumption', threshold: money(body.release.threshold!) } };
}
