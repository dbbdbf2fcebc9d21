import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsNotEmpty, IsObject, IsString, Matches, MaxLength, ValidateNested } from 'class-validator';
import { MAX_TEXT_LENGTH, type BankAccount, type Party } from '@cl/domain';
import { IsOptionalButNotNull } from '../../http/validators';
import { IsText } from '../shared/text';

/** T1 (v2): an organisation identifier (a SIREN such as "130026032", or another registry's id), 1 to 64 characters. */
export const MAX_ORGANISATION_LENGTH = 64;
const IsOrganisation = () => IsText(MAX_ORGANISATION_LENGTH);

export class BankAccountRequest {
  @ApiProperty({ example: '30001' }) @Matches(/^\d{5}$/, { message: 'bankCode must be 5 digits' }) bankCode: string;
  @ApiProperty({ example: '00064' }) @Matches(/^\d{5}$/, { message: 'branchCode must be 5 digits' }) branchCode: string;
  @ApiProperty({ example: '00000092441' }) @Matches(/^[0-9A-Z]{11}$/, { message: 'accountNumber must be 11 digits or capital letters' }) accountNumber: string;
  @ApiProperty({ example: '40' }) @Matches(/^\d{2}$/, { message: 'key must be 2 digits' }) key: string;

  @ApiPropertyOptional({ example: 'SCBCM SERVICES PREMIER MINISTRE', description: 'the account holder, when it is not the party itself (T1)' })
  @IsOptionalButNotNull() @IsText(MAX_TEXT_LENGTH.name)
  holder?: string;
}

/** The funder: no accounting organisation (T1 names one for the beneficiary only; sent here it is an unknown field, 400). */
export class FunderRequest {
  @ApiProperty({ example: 'Agence nationale de la cohésion des territoires' }) @IsString() @IsNotEmpty() @MaxLength(MAX_TEXT_LENGTH.name) name: string;
  @ApiProperty({ example: 'Yves Le Breton' }) @IsString() @IsNotEmpty() @MaxLength(MAX_TEXT_LENGTH.name) representative: string;
  @ApiProperty({ example: '130026032', minLength: 1, maxLength: MAX_ORGANISATION_LENGTH, description: 'organisation identifier (e.g. a SIREN); T6 keeps references unique per funder organisation' })
  @IsOrganisation()
  organisation: string;
  @ApiProperty({ type: BankAccountRequest }) @IsObject() @ValidateNested() @Type(() => BankAccountRequest) bankAccount: BankAccountRequest;
}

export class BeneficiaryRequest extends FunderRequest {
  @ApiPropertyOptional({ example: 'SCBCM-SPM', minLength: 1, maxLength: MAX_ORGANISATION_LENGTH, description: 'the organisation of the public accountant who pays for the beneficiary, when another (T1)' })
  @IsOptionalButNotNull() @IsOrganisation()
  accountingOrganisation?: string;
}

export const toBankAccount = (body: BankAccountRequest): BankAccount => ({
  bankCode: body.bankCode,
  branchCode: body.branchCode,
  accountNumber: body.accountNumber,
  key: body.key,
  ...(body.holder !== undefined ? { holder: body.holder } : {}),
});

export const toParty = (body: FunderRequest | BeneficiaryRequest): Party => {
  const accountingOrganisation = (body as BeneficiaryRequest).accountingOrganisation;
  return {
    name: body.name,
    representative: body.representative,
    organisation: body.organisation,
    ...(accountingOrganisation !== undefined ? { accountingOrganisation } : {}),
    bankAccount: toBankAccount(body.bankAccount),
  };
};
