import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsInt, IsObject, IsOptional, Max, Min, ValidateNested } from 'class-validator';
import { money, type AmendConvention } from '@cl/domain';
import { IsBusinessDate, IsPositiveMoney } from '../../http/validators';
import { IsText } from '../shared/text';
import { TrancheRequestBody, toTrancheRequest } from '../shared/tranche.request';

export class AmendmentSignatoriesRequest {
  @ApiProperty({ example: 'Yves Le Breton' }) @IsText(300) funder: string;
  @ApiProperty({ example: 'Nadi Bou Hanna' }) @IsText(300) beneficiary: string;
}

export class AmendmentChangesRequest {
  @ApiPropertyOptional({ example: '1800000.00' }) @IsOptional() @IsPositiveMoney() ceiling?: string;
  @ApiPropertyOptional({ example: 18 }) @IsOptional() @IsInt() @Min(1) @Max(600) durationMonths?: number;

  @ApiPropertyOptional({ type: [TrancheRequestBody], description: 'the new schedule of the tranches not yet due (A2)' })
  @IsOptional() @IsArray() @ArrayMaxSize(100) @ValidateNested({ each: true }) @Type(() => TrancheRequestBody)
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
