import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsInt, IsObject, Max, Min, ValidateNested } from 'class-validator';
import { MAX_DURATION_MONTHS, MAX_TEXT_LENGTH, MAX_TRANCHES, money, type AmendConvention } from '@cl/domain';
import { IsBusinessDate, IsOptionalButNotNull, IsPositiveMoney } from '../../http/validators';
import { IsText } from '../shared/text';
import { TrancheRequestBody, toTrancheRequest } from '../shared/tranche.request';

export class AmendmentSignatoriesRequest {
  @ApiProperty({ example: 'Yves Le Breton' }) @IsText(MAX_TEXT_LENGTH.name) funder: string;
  @ApiProperty({ example: 'Nadi Bou Hanna' }) @IsText(MAX_TEXT_LENGTH.name) beneficiary: string;
}

export class AmendmentChangesRequest {
  @ApiPropertyOptional({ example: '1800000.00' }) @IsOptionalButNotNull() @IsPositiveMoney() ceiling?: string;
  @ApiPropertyOptional({ example: 18 }) @IsOptionalButNotNull() @IsInt() @Min(1) @Max(MAX_DURATION_MONTHS) durationMonths?: number;

  @ApiPropertyOptional({ type: [TrancheRequestBody], description: 'the new schedule of the tranches not yet due (A2)' })
  @IsOptionalButNotNull() @IsArray() @ArrayMaxSize(MAX_TRANCHES) @IsObject({ each: true }) @ValidateNested({ each: true }) @Type(() => TrancheRequestBody)
  tranches?: TrancheRequestBody[];
}

export class AmendConventionRequest {
  @ApiProperty({ example: '2020-11-02' }) @IsBusinessDate() signedOn: string;
  @ApiProperty({ type: AmendmentSignatoriesRequest }) @IsObject() @ValidateNested() @Type(() => AmendmentSignatoriesRequest) signatories: AmendmentSignatoriesRequest;
  @ApiProperty({ type: AmendmentChangesRequest }) @IsObject() @ValidateNested() @Type(() => AmendmentChangesRequest) changes: AmendmentChangesRequest;

  toCommand(): AmendConvention {
    const { ceiling, durationMonths, tranches } = this.changes;
    return {
      type: 'AmendConvention',
      signedOn: this.signedOn,
      signatories: { funder: this.signatories.funder, beneficiary: this.signatories.beneficiary },
      changes: {
        ...(ceiling !== undefined ? { ceiling: money(ceiling) } : {}),
        ...(durationMonths !== undefined ? { durationMonths } : {}),
        ...(tranches !== undefined ? { tranches: tranches.map(toTrancheRequest) } : {}),
      },
    };
  }
}
