import type { BusinessDate } from '@cl/domain';
import type { ConventionStatus } from './balance';

/** API-shaped answers: plain JSON, money as two-decimal strings, dates as 'YYYY-MM-DD'. */
export interface PartyView {
  name: string;
  representative: string;
  bankAccount: { bankCode: string; branchCode: string; accountNumber: string; key: string };
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
  terminatedOn: BusinessDate | null;
  termination: { on: BusinessDate; reason: string; atFault: string } | null;
  settledOn: BusinessDate | null;
  registeredAt: string;
  revision: number;
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
  serviceDoneOn: BusinessDate | null;
  paidOn: BusinessDate | null;
  acceptedOn: BusinessDate | null;
  rejection: { on: BusinessDate; reason: string; atStep: string } | null;
}

export interface StatementLineView {
  expenseId: string;
  category: string;
  description: string;
  amount: string;
  committedOn: BusinessDate;
  serviceDoneOn: BusinessDate;
  paidOn: BusinessDate;
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
  final: boolean;
  lines: StatementLineView[];
  total: string;
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
  actor: { subject: string; roles: string[] };
  /** On which request the fact was recorded. */
  request: { requestId: string | null; correlationId: string | null; causationId: string | null; idempotencyKey: string | null };
}

export interface EventPage {
  events: EventView[];
  /** Revision to ask for next (`fromRevision`), or null when this page reached the end. */
  nextRevision: number | null;
}

export interface StatsView {
  conventions: { total: number; byStatus: Record<ConventionStatus, number> };
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
  restitution: { due: string; paid: string; outstanding: string; owedToBeneficiary: string };
  position: number;
}
