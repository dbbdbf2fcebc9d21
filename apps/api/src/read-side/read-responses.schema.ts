import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import type {
  Balance, InvoiceView, OwedBalance, PayeeView, StatementCorrectionView, StatementLineView, StatementSignatureView, StatementView, TrancheBalance,
} from '@cl/read-models';

/**
 * The OpenAPI schemas of the balance and the statements (docs/api.md). Each class implements
 * the read models' answer type, so a field the answer gains and the schema lacks is a type
 * error. Money is a two-decimal string, dates 'YYYY-MM-DD'.
 */
export const MONEY = { type: String, example: '539999.25' } as const;
export const DATE = { type: String, example: '2021-06-30' } as const;
export const NULLABLE_TEXT = { type: String, nullable: true } as const;

export class OwedResponse implements OwedBalance {
  @ApiProperty(MONEY) due: string;
  @ApiProperty(MONEY) paid: string;
  @ApiProperty({ ...MONEY, description: 'max(0, due − paid)' }) outstanding: string;
}

export class TrancheBalanceResponse implements TrancheBalance {
  @ApiProperty({ example: 2 }) number: number;
  @ApiProperty(MONEY) amount: string;
  @ApiProperty({ enum: ['scheduled', 'due', 'partially-paid', 'paid', 'lapsed'], description: 'lapsed: not due (or not paid) when the convention ended (C1, X1)' })
  status: TrancheBalance['status'];

  @ApiProperty(MONEY) paid: string;
}

export class BalanceResponse implements Balance {
  @ApiProperty({ example: 'anct-dinum-2020' }) conventionId: string;
  @ApiProperty({ ...DATE, nullable: true, description: 'the date asked (?asOf), null for now' }) asOf: string | null;
  @ApiProperty({ enum: ['draft', 'active', 'closed', 'terminated', 'settled'] }) status: Balance['status'];
  @ApiProperty({ ...MONEY, description: 'of the terms in force at the date (A3)' }) ceiling: string;
  @ApiProperty(MONEY) committed: string;
  @ApiProperty(MONEY) serviceDone: string;
  @ApiProperty(MONEY) paid: string;
  @ApiProperty({ ...MONEY, description: 'accepted, non-rejected expenses' }) consumed: string;
  @ApiProperty(MONEY) rejected: string;
  @ApiProperty({ ...MONEY, description: 'tranches made due by a fund call' }) called: string;
  @ApiProperty(MONEY) due: string;
  @ApiProperty({ ...MONEY, description: 'tranche payments only; settlement payments are owedToBeneficiary.paid' }) received: string;
  @ApiProperty({ ...MONEY, description: 'due − received (0.00 once ended: what is owed then is owedToBeneficiary)' }) outstanding: string;
  @ApiProperty({ ...MONEY, description: 'ceiling − received while active; once ended, owedToBeneficiary.outstanding' }) remainingCeiling: string;
  @ApiProperty({ type: [TrancheBalanceResponse] }) tranches: TrancheBalanceResponse[];
  @ApiPropertyOptional({ ...MONEY, description: 'C1/X1: present once the convention has ended (closed or terminated)' }) participation?: string;
  @ApiProperty({ description: 'X1: a terminated convention\'s figures until a valid final statement exists' }) provisional: boolean;
  @ApiProperty({ type: OwedResponse, description: 'what the beneficiary gives back (R1)' }) restitution: OwedResponse;
  @ApiProperty({ type: OwedResponse, description: 'what the funder still owes after the end, paid by settlement payments (R2)' })
  owedToBeneficiary: OwedResponse;
}

export class PayeeResponse implements PayeeView {
  @ApiProperty({ example: 'Octo Technology' }) name: string;
  @ApiProperty({ ...NULLABLE_TEXT, example: '41878960300044' }) siret: string | null;
}

export class InvoiceResponse implements InvoiceView {
  @ApiProperty({ example: 'F-2020-117' }) number: string;
  @ApiProperty(DATE) issuedOn: string;
}

/** What every statement line states, as frozen (D1); the details follow, typed per answer. */
export class StatementLineFactsResponse {
  @ApiProperty() expenseId: string;
  @ApiProperty() category: string;
  @ApiProperty() description: string;
  @ApiProperty(MONEY) amount: string;
  @ApiProperty(DATE) committedOn: string;
  @ApiProperty(DATE) serviceDoneOn: string;
  @ApiProperty(DATE) paidOn: string;
}

export class StatementLineResponse extends StatementLineFactsResponse implements StatementLineView {
  @ApiProperty(NULLABLE_TEXT) contract: string | null;
  @ApiProperty({ type: PayeeResponse, nullable: true }) payee: PayeeResponse | null;
  @ApiProperty(NULLABLE_TEXT) commitmentNumber: string | null;
  @ApiProperty({ type: InvoiceResponse, nullable: true }) invoice: InvoiceResponse | null;
  @ApiProperty(NULLABLE_TEXT) paymentOrder: string | null;
}

export class StatementCorrectionResponse implements StatementCorrectionView {
  @ApiProperty() expenseId: string;
  @ApiProperty({ type: String, example: '-210000.75', description: 'negative: taken back out of the cumulative total' }) amount: string;
  @ApiProperty({ example: 1, description: 'the statement that listed the expense' }) listedOn: number;
  @ApiProperty(DATE) rejectedOn: string;
  @ApiProperty() reason: string;
}

export class StatementSignatureResponse implements StatementSignatureView {
  @ApiProperty({ enum: ['authorizing-officer', 'public-accountant'] }) as: StatementSignatureView['as'];
  @ApiProperty() signatory: string;
  @ApiProperty() subject: string;
  @ApiProperty(DATE) signedOn: string;
}

export class StatementResponse implements StatementView {
  @ApiProperty({ example: 1 }) number: number;
  @ApiProperty(DATE) cutoff: string;
  @ApiProperty({ ...DATE, description: 'as of a date, the statement exists from this day' }) drawnUpOn: string;
  @ApiProperty() final: boolean;
  @ApiProperty({ type: [StatementLineResponse] }) lines: StatementLineResponse[];
  @ApiProperty({ type: [StatementCorrectionResponse] }) corrections: StatementCorrectionResponse[];
  @ApiProperty({ ...MONEY, description: 'of its new lines' }) total: string;
  @ApiProperty(MONEY) previousCumulativeTotal: string;
  @ApiProperty({ ...MONEY, description: 'previousCumulativeTotal + total + the (negative) corrections' }) cumulativeTotal: string;
  @ApiProperty({ type: [StatementSignatureResponse], description: 'signed by the date asked' }) signatures: StatementSignatureResponse[];
  @ApiProperty({ description: 'D2: signed in both roles' }) valid: boolean;
}

export class StatementListResponse {
  @ApiProperty({ type: [StatementResponse] }) statements: StatementResponse[];
}
