import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import type { ConventionCommand, Payee, StatementCorrection, StatementLine } from '@cl/domain';
import { RecordedResponse } from '../../http/api-error.schema';
import { DATE, InvoiceResponse, MONEY, StatementCorrectionResponse, StatementLineFactsResponse } from '../../read-side/read-responses.schema';

/**
 * What each command answers (docs/api.md, "Commands"), declared in the OpenAPI document so that a
 * generated client knows every field (test/e2e/openapi-client.e2e-spec.ts checks each answer of
 * the reference lifecycle against these schemas, extra fields included). Money is a two-decimal
 * string, dates 'YYYY-MM-DD'.
 */

export class RegisteredResponse extends RecordedResponse {
  @ApiProperty({ description: 'the convention’s id, for every other path' }) id: string;
}

export class ExpenseRecordedResponse extends RecordedResponse {
  @ApiProperty() expenseId: string;
}

export class FundCallIssuedResponse extends RecordedResponse {
  @ApiProperty({ example: 2 }) tranche: number;
}

export class TranchePaidResponse extends RecordedResponse {
  @ApiProperty() paymentId: string;
}

export class StatementSignedResponse extends RecordedResponse {
  @ApiProperty({ example: 1 }) number: number;
}

export class AmendedResponse extends RecordedResponse {
  @ApiProperty({ example: 1, description: 'the amendment’s number (A1)' }) number: number;
  @ApiProperty({ ...DATE, description: 'the end date in force after it' }) endsOn: string;
}

/** The payee as recorded with the expense (E1): its SIRET when given. */
export class DrawnUpPayeeResponse implements Payee {
  @ApiProperty() name: string;
  @ApiPropertyOptional({ example: '73282932000074' }) siret?: string;
}

/** A line as frozen in the statement: the expense's details are present when known (D1, E1, E2). */
export class DrawnUpLineResponse extends StatementLineFactsResponse implements StatementLine {
  @ApiPropertyOptional() contract?: string;
  @ApiPropertyOptional({ type: DrawnUpPayeeResponse }) payee?: DrawnUpPayeeResponse;
  @ApiPropertyOptional() commitmentNumber?: string;
  @ApiPropertyOptional({ type: InvoiceResponse }) invoice?: InvoiceResponse;
  @ApiPropertyOptional() paymentOrder?: string;
}

export class StatementDrawnUpResponse extends StatementSignedResponse {
  @ApiProperty(DATE) cutoff: string;
  @ApiProperty(DATE) drawnUpOn: string;
  @ApiProperty() final: boolean;
  @ApiProperty({ ...MONEY, description: 'of its new lines' }) total: string;
  @ApiProperty(MONEY) previousCumulativeTotal: string;
  @ApiProperty(MONEY) cumulativeTotal: string;
  @ApiProperty({ type: [DrawnUpLineResponse] }) lines: DrawnUpLineResponse[];
  @ApiProperty({ type: [StatementCorrectionResponse] }) corrections: StatementCorrection[];
}

export class SettlingPaymentResponse extends RecordedResponse {
  @ApiProperty({ description: 'nothing is owed either way any more (R1, R2)' }) settled: boolean;
}

export class RestitutionPaidResponse extends SettlingPaymentResponse {
  @ApiProperty() restitutionId: string;
}

export class SettlementPaidResponse extends SettlingPaymentResponse {
  @ApiProperty() paymentId: string;
}

/** A closure (C1) or a termination (X1): the closure's fields or the termination's, then the figures. */
export class EndingResponse extends SettlingPaymentResponse {
  @ApiPropertyOptional({ ...DATE, description: 'closure' }) closedOn?: string;
  @ApiPropertyOptional({ example: 2, description: 'closure: the final statement' }) statement?: number;
  @ApiPropertyOptional({ ...MONEY, description: 'closure' }) consumed?: string;
  @ApiPropertyOptional({ ...DATE, description: 'termination' }) decidedOn?: string;
  @ApiPropertyOptional({ ...DATE, description: 'termination' }) effectiveOn?: string;
  @ApiPropertyOptional({ enum: ['funder', 'beneficiary'], description: 'termination' }) decidedBy?: 'funder' | 'beneficiary';
  @ApiProperty(MONEY) participation: string;
  @ApiProperty(MONEY) received: string;
  @ApiProperty(MONEY) restitutionDue: string;
  @ApiProperty(MONEY) owedToBeneficiary: string;
  @ApiProperty({ type: [Number], example: [3] }) lapsedTranches: number[];
  @ApiProperty({ description: 'the figures may still change (no valid final statement yet)' }) provisional: boolean;
}

/** The success answer of each command; RecordedResponse ({position}) where a command adds nothing. */
export const COMMAND_RESPONSES: Record<ConventionCommand['type'], typeof RecordedResponse> = {
  RegisterConvention: RegisteredResponse,
  SignConvention: RecordedResponse,
  CommitExpense: ExpenseRecordedResponse,
  RecordServiceDone: ExpenseRecordedResponse,
  RecordExpensePayment: ExpenseRecordedResponse,
  AcceptExpense: ExpenseRecordedResponse,
  RejectExpense: ExpenseRecordedResponse,
  DrawUpStatement: StatementDrawnUpResponse,
  SignStatement: StatementSignedResponse,
  IssueFundCall: FundCallIssuedResponse,
  PayTranche: TranchePaidResponse,
  AmendConvention: AmendedResponse,
  CloseConvention: EndingResponse,
  TerminateConvention: EndingResponse,
  PayRestitution: RestitutionPaidResponse,
  PaySettlement: SettlementPaidResponse,
};
