import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsInt, IsObject, IsString, Max, MaxLength, Min, ValidateNested } from 'class-validator';
import { MAX_DURATION_MONTHS, MAX_EXPENSE_CATEGORIES, MAX_TEXT_LENGTH, MAX_TRANCHES, money, type RegisterConvention } from '@cl/domain';
import { IsOptionalButNotNull, IsPositiveMoney } from '../../http/validators';
import { BeneficiaryRequest, FunderRequest, toParty } from './party.request';
import { IsText } from '../shared/text';
import { TrancheRequestBody, toTrancheRequest } from '../shared/tranche.request';

export class BudgetRequest {
  @ApiPropertyOptional({ example: '1-2-00548' }) @IsOptionalButNotNull() @IsString() @MaxLength(MAX_TEXT_LENGTH.name) fondsDeConcours?: string;
  @ApiPropertyOptional({ example: '352' }) @IsOptionalButNotNull() @IsString() @MaxLength(MAX_TEXT_LENGTH.name) programme?: string;
  @ApiPropertyOptional({ example: '0352-CFSE' }) @IsOptionalButNotNull() @IsString() @MaxLength(MAX_TEXT_LENGTH.name) bop?: string;
}

/** Only the budget lines given (an empty `budget: {}` stays empty). */
const toBudget = ({ fondsDeConcours, programme, bop }: BudgetRequest) => ({
  ...(fondsDeConcours !== undefined ? { fondsDeConcours } : {}),
  ...(programme !== undefined ? { programme } : {}),
  ...(bop !== undefined ? { bop } : {}),
});

export class RegisterConventionRequest {
  @ApiProperty({ example: 'ANCT-DINUM-2020' }) @IsText(MAX_TEXT_LENGTH.reference) reference: string;
  @ApiProperty({ example: 'Incubateur de services numériques de l’ANCT' }) @IsText(MAX_TEXT_LENGTH.title) title: string;
  @ApiProperty({ type: FunderRequest }) @IsObject() @ValidateNested() @Type(() => FunderRequest) funder: FunderRequest;
  @ApiProperty({ type: BeneficiaryRequest }) @IsObject() @ValidateNested() @Type(() => BeneficiaryRequest) beneficiary: BeneficiaryRequest;
  @ApiProperty({ example: '1600000.00' }) @IsPositiveMoney() ceiling: string;
  @ApiProperty({ example: 12 }) @IsInt() @Min(1) @Max(MAX_DURATION_MONTHS) durationMonths: number;

  @ApiProperty({ type: [TrancheRequestBody] })
  @IsArray() @ArrayMinSize(1) @ArrayMaxSize(MAX_TRANCHES) @IsObject({ each: true }) @ValidateNested({ each: true }) @Type(() => TrancheRequestBody)
  tranches: TrancheRequestBody[];

  @ApiPropertyOptional({ example: ['devops', 'design', 'deployment', 'coaching'] })
  @IsOptionalButNotNull() @IsArray() @ArrayMaxSize(MAX_EXPENSE_CATEGORIES) @IsString({ each: true }) @MaxLength(MAX_TEXT_LENGTH.category, { each: true })
  expenseCategories?: string[];

  @ApiPropertyOptional({ type: BudgetRequest }) @IsOptionalButNotNull() @IsObject() @ValidateNested() @Type(() => BudgetRequest) budget?: BudgetRequest;

  toCommand(conventionId: string): RegisterConvention {
    return {
      type: 'RegisterConvention',
      conventionId,
      reference: this.reference,
      title: this.title,
      funder: toParty(this.funder),
      beneficiary: toParty(this.beneficiary),
      ceiling: money(this.ceiling),
      durationMonths: this.durationMonths,
      tranches: this.tranches.map(toTrancheRequest),
      ...(this.expenseCategories !== undefined ? { expenseCategories: [...this.expenseCategories] } : {}),
      ...(this.budget !== undefined ? { budget: toBudget(this.budget) } : {}),
    };
  }
}
