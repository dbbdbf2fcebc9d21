import type { CommitExpense } from '@cl/domain';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional } from 'class-validator';
import { money } from '@cl/domain';
import { IsBusinessDate, IsPositiveMoney } from '../../http/validators';
import { IsText } from '../shared/text';

export class CommitExpenseRequest {
  @ApiProperty({ example: 'devops' }) @IsText(100) category: string;
  @ApiProperty({ example: 'Développeur full-stack, sprint 1' }) @IsText(1000) description: string;
  @ApiProperty({ example: '150000.25' }) @IsPositiveMoney() amount: string;
  @ApiProperty({ example: '2020-06-01' }) @IsBusinessDate() committedOn: string;
  @ApiPropertyOptional({ example: 'Marché Développement / déploiement / design / hébergement' }) @IsOptional() @IsText(300) contract?: string;

  toCommand(expenseId: string): CommitExpense {
    return { type: 'CommitExpense', expenseId, category: this.category, description: this.description, amount: money(this.amount), committedOn: this.committedOn, contract: this.contract };
  }
}
