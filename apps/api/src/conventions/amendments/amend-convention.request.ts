import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsInt, IsObject, IsString, Max, MaxLength, Min, ValidateNested } from 'class-validator';
import { MAX_DURATION_MONTHS, MAX_EXPENSE_CATEGORIES, MAX_TEXT_LENGTH, MAX_TRANCHES, money, type AmendConvention, type PartyChanges } from '@cl/domain';
import { IsBusinessDate, IsOptionalButNotNull, IsPositiveMoney } from '../../http/validators';
import { BankAccountRequest, toBankAccount } from '../registration/party.request';
import { IsText } from '../shared/text';
import { TrancheRequestBody, toTrancheRequest } from '../shared/tranche.request';

export class AmendmentSignatoriesRequest {
  @ApiProperty({ example: 'Yves Le Breton' }) @IsText(MAX_TEXT_LENGTH.name) funder: string;
  @ApiProperty({ example: 'Nadi Bou Hanna' }) @IsText(MAX_TEXT_LENGTH.name) beneficiary: string;
}

/** A2 (v2): what an amendment may change of a party. */
export class PartyChangesRequest {
  @ApiPropertyOptional({ example: 'Stéphanie Schaer', description: 'the party’s new legal representative' })
  @IsOptionalButNotNull() @IsText(MAX_TEXT_LENGTH.name)
  representative?: string;

  @ApiPropertyOptional({ type: BankAccountRequest, description: 'the party’s new bank account (its RIB key is verified, T1)' })
  @IsOptionalButNotNull() @IsObject() @ValidateNested() @Type(() => BankAccountRequest)
  bankAccount?: BankAccountRequest;
}

export class AmendmentChangesRequest {
  @ApiPropertyOptional({ example: '1800000.00' }) @IsOptionalButNotNull() @IsPositiveMoney() ceiling?: string;
  @ApiPropertyOptional({ example: 18 }) @IsOptionalButNotNull() @IsInt() @Min(1) @Max(MAX_DURATION_MONTHS) durationMonths?: number;

  @ApiPropertyOptional({ type: [TrancheRequestBody], description: 'the new schedule of the tranches not yet due (A2)' })
  @IsOptionalButNotNull() @IsArray() @ArrayMaxSize(MAX_TRANCHES) @IsObject({ each: true }) @ValidateNested({ each: true }) @Type(() => TrancheRequestBody)
  tranches?: TrancheRequestBody[];

  @ApiPropertyOptional({ example: ['devops', 'design', 'deployment', 'coaching', 'hosting'], description: 'the eligible expense categories from the amendment on (A2, A3); empty: any category' })
  @IsOptionalButNotNull() @IsArray() @ArrayMaxSize(MAX_EXPENSE_CATEGORIES) @IsString({ each: true }) @MaxLength(MAX_TEXT_LENGTH.category, { each: true })
  expenseCategories?: string[];

  @ApiPropertyOptional({ type: PartyChangesRequest, description: 'the funder’s new representative or bank account' })
  @IsOptionalButNotNull() @IsObject() @ValidateNested() @Type(() => PartyChangesRequest)
  funder?: PartyChangesRequest;

  @ApiPropertyOptional({ type: PartyChangesRequest, description: 'the beneficiary’s new representative or bank account' })
  @IsOptionalButNotNull() @IsObject() @ValidateNested() @Type(() => PartyChangesRequest)
  beneficiary?: PartyChangesRequest;
}

const toPartyChanges = ({ representative, bankAccount }: PartyChangesRequest): PartyChanges => ({
  ...(representative !== undefined ? { representative } : {}),
  ...(bankAccount !== undefined ? { bankAccount: toBankAccount(bankAccount) } : {}),
});

export class AmendConventionRequest {
  @ApiProperty({ example: '2020-11-02' }) @IsBusinessDate() signedOn: string;
  @ApiProperty({ type: AmendmentSignatoriesRequest }) @IsObject() @ValidateNested() @Type(() => AmendmentSignatoriesRequest) signatories: AmendmentSignatoriesRequest;
  @ApiProperty({ type: AmendmentChangesRequest }) @IsObject() @ValidateNested() @Type(() => AmendmentChangesRequest) changes: AmendmentChangesRequest;

  toCommand(): AmendConvention {
    const { ceiling, durationMonths, tranches, expenseCategories, funder, beneficiary } = this.changes;
    return {
      type: 'AmendConvention',
      signedOn: this.signedOn,
      signatories: { funder: this.signatories.funder, beneficiary: this.signatories.beneficiary },
      changes: {
        ...(ceiling !== undefined ? { ceiling: money(ceiling) } : {}),
        ...(durationMonths !== undefined ? { durationMonths } : {}),
        ...(tranches !== undefined ? { tranches: tranches.map(toTrancheRequest) } : {}),
        ...(expenseCategories !== undefined ? { expenseCategories: [...expenseCategories] } : {}),
        ...(funder !== undefined ? { funder: toPartyChanges(funder) } : {}),
        ...(beneficiary !== undefined ? { beneficiary: toPartyChanges(beneficiary) } : {}),
      },
    };
  }
}
