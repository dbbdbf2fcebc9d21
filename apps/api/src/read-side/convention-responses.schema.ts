import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import type {
  AmendmentView, ConventionSummaryView, ConventionView, EventPage, EventView, ExpenseView, PartyView, TerminationView, TrancheTermsView,
} from '@cl/read-models';
import { CONVENTION_STATUSES } from './read-queries.request';
import { DATE, InvoiceResponse, MONEY, NULLABLE_TEXT, PayeeResponse } from './read-responses.schema';

/**
 * The OpenAPI schemas of a convention, its expenses and its history (docs/api.md). As in
 * read-responses.schema.ts, each class implements the read models' answer type, so that a field
 * the answer gains and the schema lacks is a type error; the generated client's test checks the
 * answers themselves against these schemas (test/e2e/openapi-client.e2e-spec.ts).
 */
const NULLABLE_DATE = { ...DATE, nullable: true } as const;
const PARTIES = ['funder', 'beneficiary'] as const;
const OPEN_OBJECT = { type: 'object', additionalProperties: true } as const;

export class ConventionSummaryResponse implements ConventionSummaryView {
  @ApiProperty() id: string;
  @ApiProperty({ example: 'ANCT-DINUM-2020' }) reference: string;
  @ApiProperty() title: string;
  @ApiProperty({ enum: CONVENTION_STATUSES }) status: ConventionSummaryView['status'];
  @ApiProperty({ ...MONEY, description: 'of the terms in force (A3)' }) ceiling: string;
  @ApiProperty(NULLABLE_DATE) effectiveOn: string | null;
  @ApiProperty(NULLABLE_DATE) endsOn: string | null;
  @ApiProperty({ description: 'global position of the last fact the answer includes' }) position: number;
}

export class ConventionListResponse {
  @ApiProperty({ type: [ConventionSummaryResponse] }) conventions: ConventionSummaryResponse[];
}

class BankAccountResponse {
  @ApiProperty({ example: '10071' }) bankCode: string;
  @ApiProperty({ example: '75000' }) branchCode: string;
  @ApiProperty({ example: '00001005009' }) accountNumber: string;
  @ApiProperty({ example: '70' }) key: string;
  @ApiProperty(NULLABLE_TEXT) holder: string | null;
}

class PartySignatureResponse {
  @ApiProperty() signatory: string;
  @ApiProperty(DATE) signedOn: string;
}

export class PartyResponse implements PartyView {
  @ApiProperty() name: string;
  @ApiProperty() representative: string;
  @ApiProperty({ description: 'T1 (v2): empty for a party registered before v2' }) organisation: string;
  @ApiProperty({ ...NULLABLE_TEXT, description: 'the beneficiary’s public accountant, when another organisation' }) accountingOrganisation: string | null;
  @ApiProperty({ type: BankAccountResponse }) bankAccount: BankAccountResponse;
  @ApiProperty({ example: 'FR7610071750000000100500970', description: 'derived from the RIB (T2)' }) iban: string;
  @ApiProperty({ type: PartySignatureResponse, nullable: true }) signature: PartySignatureResponse | null;
}

class ConventionSignatureResponse extends PartySignatureResponse {
  @ApiProperty({ enum: PARTIES }) party: 'funder' | 'beneficiary';
}

class TrancheReleaseResponse {
  @ApiProperty({ enum: ['signature', 'consumption'] }) on: 'signature' | 'consumption';
  @ApiPropertyOptional({ ...MONEY, description: 'with on = consumption: the accepted expenses that release it (F1)' }) threshold?: string;
}

class TrancheTermsResponse implements TrancheTermsView {
  @ApiProperty({ example: 2 }) number: number;
  @ApiProperty(MONEY) amount: string;
  @ApiProperty({ type: TrancheReleaseResponse }) release: TrancheTermsView['release'];
}

class BudgetResponse {
  @ApiPropertyOptional() fondsDeConcours?: string;
  @ApiPropertyOptional() programme?: string;
  @ApiPropertyOptional() bop?: string;
}

class AmendmentSignatoriesResponse {
  @ApiProperty() funder: string;
  @ApiProperty() beneficiary: string;
}

class AmendmentResponse implements AmendmentView {
  @ApiProperty({ example: 1 }) number: number;
  @ApiProperty(DATE) signedOn: string;
  @ApiProperty({ type: AmendmentSignatoriesResponse }) signatories: AmendmentSignatoriesResponse;
  @ApiProperty({ ...OPEN_OBJECT, description: 'the changes as sent (A1)' }) changes: unknown;
  @ApiProperty({ ...MONEY, description: 'in force after it' }) ceiling: string;
  @ApiProperty() durationMonths: number;
  @ApiProperty(DATE) endsOn: string;
}

class TerminationResponse implements TerminationView {
  @ApiProperty(DATE) decidedOn: string;
  @ApiProperty(DATE) effectiveOn: string;
  @ApiProperty({ enum: PARTIES }) decidedBy: 'funder' | 'beneficiary';
  @ApiProperty() reason: string;
  @ApiProperty({ enum: PARTIES }) atFault: 'funder' | 'beneficiary';
}

export class ConventionResponse extends ConventionSummaryResponse implements ConventionView {
  @ApiProperty({ type: PartyResponse }) funder: PartyResponse;
  @ApiProperty({ type: PartyResponse }) beneficiary: PartyResponse;
  @ApiProperty({ type: [ConventionSignatureResponse] }) signatures: ConventionSignatureResponse[];
  @ApiProperty() durationMonths: number;
  @ApiProperty({ type: [TrancheTermsResponse] }) tranches: TrancheTermsResponse[];
  @ApiProperty({ type: [String] }) expenseCategories: string[];
  @ApiProperty({ type: BudgetResponse, nullable: true }) budget: BudgetResponse | null;
  @ApiProperty() amendmentsCount: number;
  @ApiProperty({ type: [AmendmentResponse] }) amendments: AmendmentResponse[];
  @ApiProperty(NULLABLE_DATE) closedOn: string | null;
  @ApiProperty({ ...NULLABLE_DATE, description: 'X1: the day the termination took effect, once it has' }) terminatedOn: string | null;
  @ApiProperty({ type: TerminationResponse, nullable: true, description: 'X1 (v2): shown from the day it was decided' }) termination: TerminationResponse | null;
  @ApiProperty({ ...NULLABLE_DATE, description: 'R1: the day it last became settled, while settled' }) settledOn: string | null;
  @ApiProperty({ example: '2020-05-04T09:12:00.000Z', description: 'when the registration was recorded' }) registeredAt: string;
  @ApiProperty({ description: 'revision of the convention’s stream' }) revision: number;
}

class ExpenseRejectionResponse {
  @ApiProperty(DATE) on: string;
  @ApiProperty() reason: string;
  @ApiProperty({ description: 'the step the expense had reached' }) atStep: string;
  @ApiProperty(NULLABLE_TEXT) recoveryOrder: string | null;
}

export class ExpenseResponse implements ExpenseView {
  @ApiProperty() expenseId: string;
  @ApiProperty() category: string;
  @ApiProperty() description: string;
  @ApiProperty(NULLABLE_TEXT) contract: string | null;
  @ApiProperty(MONEY) amount: string;
  @ApiProperty({ enum: ['committed', 'service-done', 'paid', 'accepted', 'rejected'] }) state: ExpenseView['state'];
  @ApiProperty(DATE) committedOn: string;
  @ApiProperty({ type: PayeeResponse, nullable: true }) payee: PayeeResponse | null;
  @ApiProperty(NULLABLE_TEXT) commitmentNumber: string | null;
  @ApiProperty(NULLABLE_DATE) serviceDoneOn: string | null;
  @ApiProperty({ type: InvoiceResponse, nullable: true }) invoice: InvoiceResponse | null;
  @ApiProperty(NULLABLE_DATE) paidOn: string | null;
  @ApiProperty(NULLABLE_TEXT) paymentOrder: string | null;
  @ApiProperty(NULLABLE_DATE) acceptedOn: string | null;
  @ApiProperty({ type: ExpenseRejectionResponse, nullable: true }) rejection: ExpenseRejectionResponse | null;
}

export class ExpenseListResponse {
  @ApiProperty({ type: [ExpenseResponse] }) expenses: ExpenseResponse[];
}

class EventActorResponse {
  @ApiProperty() subject: string;
  @ApiProperty({ type: [String] }) roles: string[];
  @ApiPropertyOptional({ example: '130026032', description: 'the organisation it acted for; absent on facts recorded before organisations existed' }) organisation?: string;
}

class EventRequestResponse {
  @ApiProperty(NULLABLE_TEXT) requestId: string | null;
  @ApiProperty(NULLABLE_TEXT) correlationId: string | null;
  @ApiProperty(NULLABLE_TEXT) causationId: string | null;
  @ApiProperty(NULLABLE_TEXT) idempotencyKey: string | null;
}

export class EventResponse implements EventView {
  @ApiProperty() eventId: string;
  @ApiProperty({ example: 'TranchePaid' }) type: string;
  @ApiProperty({ example: 1 }) schemaVersion: number;
  @ApiProperty({ ...OPEN_OBJECT, description: 'the fact as recorded (docs/domain-rules.md names each event’s fields)' }) data: Record<string, unknown>;
  @ApiProperty() revision: number;
  @ApiProperty() position: number;
  @ApiProperty({ example: '2021-01-20T10:02:11.000Z' }) recordedAt: string;
  @ApiProperty({ type: EventActorResponse }) actor: EventActorResponse;
  @ApiProperty({ type: EventRequestResponse }) request: EventRequestResponse;
}

export class EventPageResponse implements EventPage {
  @ApiProperty({ type: [EventResponse] }) events: EventResponse[];
  @ApiProperty({ type: Number, nullable: true, description: 'fromRevision of the next page, null at the end' }) nextRevision: number | null;
}
