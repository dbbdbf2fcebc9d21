import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional } from 'class-validator';
import { MAX_TEXT_LENGTH, money, type CommitExpense } from '@cl/domain';
import { IsBusinessDate, IsPositiveMoney } from '../../http/validators';
import { IsText } from '../shared/text';

export class CommitExpenseRequest {
  @ApiProperty({ example: 'devops' }) @IsText(MAX_TEXT_LENGTH.category) category: string;
  @ApiProperty({ example: 'Développeur full-stack, sprint 1' }) @IsText(MAX_TEXT_LENGTH.description) description: string;
  @ApiProperty({ example: '150000.25' }) @IsPositiveMoney() amount: string;
  @ApiProperty({ example: '2020-06-01' }) @IsBusinessDate() committedOn: string;
  @ApiPropertyOptional({ example: 'Marché Développement / déploiement / design / hébergement' }) @IsOptional() @IsText(MAX_TEXT_LENGTH.name) contract?: string;

  toCommand(expenseId: string): CommitExpense {
    return { type: 'CommitExpense', expenseId, category: this.category, description: this.description, amount: money(this.amount), committedOn: this.committedOn, contract: this.contract };
  }
}
