import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsObject, Matches, ValidateNested } from 'class-validator';
import { MAX_TEXT_LENGTH, money, type CommitExpense } from '@cl/domain';
import { IsBusinessDate, IsOptionalButNotNull, IsPositiveMoney } from '../../http/validators';
import { IsText } from '../shared/text';
import { IsDocumentNumber } from './document-number';

/** E1 (v2): who is paid. The edge checks the SIRET's shape; the domain checks its Luhn key (400 INVALID_SIRET). */
export class PayeeRequest {
  @ApiProperty({ example: 'Atelier numérique SAS' }) @IsText(MAX_TEXT_LENGTH.name) name: string;

  @ApiPropertyOptional({ example: '73282932000074', description: '14 digits whose Luhn key verifies (E1)' })
  @IsOptionalButNotNull() @Matches(/^[0-9]{14}$/, { message: 'payee.siret must be 14 digits' })
  siret?: string;
}

export class CommitExpenseRequest {
  @ApiProperty({ example: 'devops' }) @IsText(MAX_TEXT_LENGTH.category) category: string;
  @ApiProperty({ example: 'Développeur full-stack, sprint 1' }) @IsText(MAX_TEXT_LENGTH.description) description: string;
  @ApiProperty({ example: '150000.25' }) @IsPositiveMoney() amount: string;
  @ApiProperty({ example: '2020-06-01' }) @IsBusinessDate() committedOn: string;
  @ApiPropertyOptional({ example: 'Marché Développement / déploiement / design / hébergement' }) @IsOptionalButNotNull() @IsText(MAX_TEXT_LENGTH.name) contract?: string;

  @ApiPropertyOptional({ type: PayeeRequest, description: 'who is paid (E1)' })
  @IsOptionalButNotNull() @IsObject() @ValidateNested() @Type(() => PayeeRequest)
  payee?: PayeeRequest;

  @ApiPropertyOptional({ example: 'EJ-2100457812', description: 'the legal commitment number (engagement juridique, E1)' })
  @IsOptionalButNotNull() @IsDocumentNumber()
  commitmentNumber?: string;

  toCommand(expenseId: string): CommitExpense {
    return {
      type: 'CommitExpense',
      expenseId,
      category: this.category,
      description: this.description,
      amount: money(this.amount),
      committedOn: this.committedOn,
      ...(this.contract !== undefined ? { contract: this.contract } : {}),
      ...(this.payee !== undefined ? { payee: { name: this.payee.name, ...(this.payee.siret !== undefined ? { siret: this.payee.siret } : {}) } } : {}),
      ...(this.commitmentNumber !== undefined ? { commitmentNumber: this.commitmentNumber } : {}),
    };
  }
}
