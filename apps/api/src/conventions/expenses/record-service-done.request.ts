import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsObject, ValidateNested } from 'class-validator';
import type { RecordServiceDone } from '@cl/domain';
import { IsBusinessDate, IsOptionalButNotNull } from '../../http/validators';
import { IsDocumentNumber } from './document-number';

/** E2 (v2): the invoice that proves the service done. */
export class InvoiceRequest {
  @ApiProperty({ example: 'F-2020-0917' }) @IsDocumentNumber() number: string;
  @ApiProperty({ example: '2020-09-30' }) @IsBusinessDate() issuedOn: string;
}

export class RecordServiceDoneRequest {
  @ApiProperty({ example: '2020-07-01' }) @IsBusinessDate() on: string;

  @ApiPropertyOptional({ type: InvoiceRequest, description: 'the invoice of the service (E2)' })
  @IsOptionalButNotNull() @IsObject() @ValidateNested() @Type(() => InvoiceRequest)
  invoice?: InvoiceRequest;

  toCommand(expenseId: string): RecordServiceDone {
    return {
      type: 'RecordServiceDone', expenseId, on: this.on,
      ...(this.invoice !== undefined ? { invoice: { number: this.invoice.number, issuedOn: this.invoice.issuedOn } } : {}),
    };
  }
}
