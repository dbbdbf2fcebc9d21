import type { BusinessDate } from '@cl/domain';
import type { ConventionStatus, OwedBalance } from './balance';

/** API-shaped answers: plain JSON, money as two-decimal strings, dates as 'YYYY-MM-DD'. */
/** A party as the terms in force state it (T1, A2), with its signature (S1). */
export interface PartyView {
  name: string;
  representative: string;
  /** T1 (v2): '' for a party registered before v2 (no organisation). */
  organisation: string;
  /** T1 (v2): the beneficiary's public accountant, when another organisation. */
  accountingOrganisation: string | null;
  bankAccount: { bankCode: string; branchCode: string; accountNumber: string; key: string; holder: string | null };
  iban: string;
  signature: { signatory: string; signedOn: BusinessDate } | null;
}

export interface TrancheTermsView {
  number: number;
  amount: string;
  release: { on: 'signature' } | { on: 'consumption'; threshold: string };
}

export interface ConventionSummaryView {
  id: string;
  reference: string;
  title: string;
  status: ConventionStatus;
  ceiling: string;
  effectiveOn: BusinessDate | null;
  endsOn: BusinessDate | null;
  position: number;
}

export interface AmendmentView {
  number: number;
  signedOn: BusinessDate;
  signatories: { funder: string; beneficiary: string };
  changes: unknown;
  ceiling: string;
  durationMonths: number;
  endsOn: BusinessDate;
}

export interface ConventionView extends ConventionSummaryView {
  funder: PartyView;
  beneficiary: PartyView;
  signatures: { party: 'funder' | 'beneficiary'; signatory: string; signedOn: BusinessDate }[];
  durationMonths: number;
  tranches: TrancheTermsView[];
  expenseCategories: string[];
  budget: { fondsDeConcours?: string; programme?: string; bop?: string } | null;
  amendmentsCount: number;
  amendments: AmendmentView[];
  closedOn: BusinessDate | null;
  /** X1: the day the termination took effect, once it has. */
  terminatedOn: BusinessDate | null;
  /** X1 (v2): shown from the day it was decided. */
  termination: TerminationView | null;
  /** R1: the day it last became settled, while settled. */
  settledOn: BusinessDate | null;
  registeredAt: string;
  revision: number;
}

export interface TerminationView {
  decidedOn: BusinessDate;
  effectiveOn: BusinessDate;
  decidedBy: 'funder' | 'beneficiary';
  reason: string;
  atFault: 'funder' | 'beneficiary';
}

export type ExpenseState = 'committed' | 'service-done' | 'paid' | 'accepted' | 'rejected';

export interface ExpenseView {
  expenseId: string;
  category: string;
  description: string;
  contract: string | null;
  amount: string;
  state: ExpenseState;
  committedOn: BusinessDate;
  /** E1 (v2). */
  payee: PayeeView | null;
  commitmentNumber: string | null;
  serviceDoneOn: BusinessDate | null;
  /** E2 (v2): recorded with the service done. */
  invoice: InvoiceView | null;
  paidOn: BusinessDate | null;
  /** E2 (v2): recorded with the payment. */
  paymentOrder: string | null;
  acceptedOn: BusinessDate | null;
  /** E3; `recoveryOrder` (v2) when one was issued. */
  rejection: { on: BusinessDate; reason: string; atStep: string; recoveryOrder: string | null } | null;
}

export interface PayeeView {
  name: string;
  siret: string | null;
}

export interface InvoiceView {
  number: string;
  issuedOn: BusinessDate;
}

export interface StatementLineView {
  expenseId: string;
  category: string;
  description: string;
  amount: string;
  committedOn: BusinessDate;
  serviceDoneOn: BusinessDate;
  paidOn: BusinessDate;
  /** D1 (v2): the expense's details as known when the statement was drawn up. */
  contract: string | null;
  payee: PayeeView | null;
  commitmentNumber: string | null;
  invoice: InvoiceView | null;
  paymentOrder: string | null;
}

/** D1 (v2): an expense listed on an earlier statement and rejected since, taken back out. */
export interface StatementCorrectionView {
  expenseId: string;
  /** Negative: "-1200.00". */
  amount: string;
  /** The statement that listed it. */
  listedOn: number;
  rejectedOn: BusinessDate;
  reason: string;
}

export interface StatementSignatureView {
  as: 'authorizing-officer' | 'public-accountant';
  signatory: string;
  subject: string;
  signedOn: BusinessDate;
}

export interface StatementView {
  number: number;
  cutoff: BusinessDate;
  /** D1 (v2): as of a date, a statement exists from this day. */
  drawnUpOn: BusinessDate;
  final: boolean;
  lines: StatementLineView[];
  corrections: StatementCorrectionView[];
  /** Of its new lines. */
  total: string;
  previousCumulativeTotal: string;
  /** previousCumulativeTotal + total + the (negative) corrections. */
  cumulativeTotal: string;
  signatures: StatementSignatureView[];
  /** D2: signed by both the authorizing officer and the public accountant. */
  valid: boolean;
}

export interface EventView {
  eventId: string;
  type: string;
  schemaVersion: number;
  data: Record<string, unknown>;
  revision: number;
  position: number;
  recordedAt: string;
  /** `organisation` absent on facts recorded before organisations existed (v2). */
  actor: { subject: string; roles: string[]; organisation?: string };
  /** On which request the fact was recorded. */
  request: { requestId: string | null; correlationId: string | null; causationId: string | null; idempotencyKey: string | null };
}

export interface EventPage {
  events: EventView[];
  /** Revision to ask for next (`fromRevision`), or null when this page reached the end. */
  nextRevision: number | null;
}

export interface StatsView {
  /** `provisional`: terminated conventions whose figures await a final statement (X1). */
  conventions: { total: number; byStatus: Record<ConventionStatus, number>; provisional: number };
  expenses: number;
  statements: number;
  events: number;
  ceiling: string;
  committed: string;
  consumed: string;
  rejected: string;
  called: string;
  due: string;
  received: string;
  outstanding: string;
  /** Over the conventions that ended. */
  participation: string;
  restitution: OwedBalance;
  owedToBeneficiary: OwedBalance;
  position: number;
}
