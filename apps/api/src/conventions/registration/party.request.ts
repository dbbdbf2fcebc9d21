import { ApiProperty } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsNotEmpty, IsObject, IsString, Matches, MaxLength, ValidateNested } from 'class-validator';
import { MAX_TEXT_LENGTH, type Party } from '@cl/domain';

export class BankAccountRequest {
  @ApiProperty({ example: '30001' }) @Matches(/^\d{5}$/, { message: 'bankCode must be 5 digits' }) bankCode: string;
  @ApiProperty({ example: '00064' }) @Matches(/^\d{5}$/, { message: 'branchCode must be 5 digits' }) branchCode: string;
  @ApiProperty({ example: '00000092441' }) @Matches(/^[0-9A-Z]{11}$/, { message: 'accountNumber must be 11 digits or capital letters' }) accountNumber: string;
  @ApiProperty({ example: '40' }) @Matches(/^\d{2}$/, { message: 'key must be 2 digits' }) key: string;
}

export class PartyRequest {
  @ApiProperty({ example: 'Agence nationale de la cohésion des territoires' }) @IsString() @IsNotEmpty() @MaxLength(MAX_TEXT_LENGTH.name) name: string;
  @ApiProperty({ example: 'Yves Le Breton' }) @IsString() @IsNotEmpty() @MaxLength(MAX_TEXT_LENGTH.name) representative: string;
  @ApiProperty({ type: BankAccountRequest }) @IsObject() @ValidateNested() @Type(() => BankAccountRequest) bankAccount: BankAccountRequest;
}

export const toParty = (body: PartyRequest): Party => ({
  name: body.name,
  representative: body.representative,
  bankAccount: { ...body.bankAccount },
});
