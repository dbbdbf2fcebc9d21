import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsInt, IsObject, IsOptional, IsString, Max, MaxLength, Min, ValidateNested } from 'class-validator';
import { MAX_DURATION_MONTHS, MAX_EXPENSE_CATEGORIES, MAX_TEXT_LENGTH, MAX_TRANCHES, money, type RegisterConvention } from '@cl/domain';
import { IsPositiveMoney } from '../../http/validators';
import { PartyRequest, toParty } from './party.request';
import { IsText } from '../shared/text';
import { TrancheRequestBody, toTrancheRequest } from '../shared/tranche.request';

export class BudgetRequest {
  @ApiPropertyOptional({ example: '1-2-00548' }) @IsOptional() @IsString() @MaxLength(MAX_TEXT_LENGTH.name) fondsDeConcours?: string;
  @ApiPropertyOptional({ example: '352' }) @IsOptional() @IsString() @MaxLength(MAX_TEXT_LENGTH.name) programme?: string;
  @ApiPropertyOptional({ example: '0352-CFSE' }) @IsOptional() @IsString() @MaxLength(MAX_TEXT_LENGTH.name) bop?: string;
}

export class RegisterConventionRequest {
  @ApiProperty({ example: 'ANCT-DINUM-2020' }) @IsText(MAX_TEXT_LENGTH.reference) reference: string;
  @ApiProperty({ example: 'Incubateur de services numériques de l’ANCT' }) @IsText(MAX_TEXT_LENGTH.title) title: string;
  @ApiProperty({ type: PartyRequest }) @IsObject() @ValidateNested() @Type(() => PartyRequest) funder: PartyRequest;
  @ApiProperty({ type: PartyRequest }) @IsObject() @ValidateNested() @Type(() => PartyRequest) beneficiary: PartyRequest;
  @ApiProperty({ example: '1600000.00' }) @IsPositiveMoney() ceiling: string;
  @ApiProperty({ example: 12 }) @IsInt() @Min(1) @Max(MAX_DURATION_MONTHS) durationMonths: number;

  @ApiProperty({ type: [TrancheRequestBody] })
  @IsArray() @ArrayMinSize(1) @ArrayMaxSize(MAX_TRANCHES) @IsObject({ each: true }) @ValidateNested({ each: true }) @Type(() => TrancheRequestBody)
  tranches: TrancheRequestBody[];

  @ApiPropertyOptional({ example: ['devops', 'design', 'deployment', 'coaching'] })
  @IsOptional() @IsArray() @ArrayMaxSize(MAX_EXPENSE_CATEGORIES) @IsString({ each: true }) @MaxLength(MAX_TEXT_LENGTH.category, { each: true })
  expenseCategories?: string[];

  @ApiPropertyOptional({ type: BudgetRequest }) @IsOptional() @IsObject() @ValidateNested() @Type(() => BudgetRequest) budget?: BudgetRequest;

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
      expenseCategories: this.expenseCategories,
      budget: this.budget ? { ...this.budget } : undefined,
    };
  }
}
