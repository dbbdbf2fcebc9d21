import type { BusinessDate } from './dates';
import type { MoneyText } from './money';

/**
 * Domain events: the stored schema of the ledger. Payloads are plain JSON (money as canonical
 * two-decimal strings, dates as 'YYYY-MM-DD') so that what is decided is exactly what is stored
 * and replayed. Every event carries `schemaVersion`; a later change of shape adds an upcaster
 * (upcasting.ts, see docs/architecture.md) instead of rewriting history.
 */
interface Event<Type extends string, Data> {
  readonly type: Type;
  readonly schemaVersion: number;
  readonly data: Data;
}

export interface BankAccount {
  bankCode: string;
  branchCode: string;
  accountNumber: string;
  key: string;
}

export interface Party {
  name: string;
  representative: string;
  bankAccount: BankAccount;
}

export type PartyRole = 'funder' | 'beneficiary';

export type TrancheRelease = { on: 'signature' } | { on: 'consumption'; threshold: MoneyText };

export interface TrancheTerms {
  /** 1-based, in order. */
  number: number;
  amount: MoneyText;
  release: TrancheRelease;
}

export interface BudgetImputation {
  fondsDeConcours?: string;
  programme?: string;
  bop?: string;
}

export type StatementSignatoryRole = 'authorizing-officer' | 'public-accountant';

export interface StatementLine {
  expenseId: string;
  category: string;
  description: string;
  amount: MoneyText;
  committedOn: BusinessDate;
  serviceDoneOn: BusinessDate;
  paidOn: BusinessDate;
}

export type ConventionRegistered = Event<'ConventionRegistered', {
  conventionId: string;
  reference: string;
  title: string;
  funder: Party;
  beneficiary: Party;
  ceiling: MoneyText;
  durationMonths: number;
  tranches: TrancheTerms[];
  expenseCategories: string[];
  budget?: BudgetImputation;
}>;

export type ConventionSigned = Event<'ConventionSigned', {
  party: PartyRole;
  signatory: string;
  signedOn: BusinessDate;
}>;

/** S1: both parties have signed; effect on the later signature date, end per M3. */
export type ConventionTookEffect = Event<'ConventionTookEffect', {
  effectiveOn: BusinessDate;
  endsOn: BusinessDate;
}>;

/** S2 (at signature) or F1 (through a fund call). */
export type TrancheFellDue = Event<'TrancheFellDue', {
  tranche: number;
  amount: MoneyText;
  dueOn: BusinessDate;
  cause: 'signature' | 'fund-call';
}>;

export type ExpenseCommitted = Event<'ExpenseCommitted', {
  expenseId: string;
  category: string;
  description: string;
  amount: MoneyText;
  committedOn: BusinessDate;
  contract?: string;
}>;

export type ExpenseServiceDone = Event<'ExpenseServiceDone', { expenseId: string; on: BusinessDate }>;
export type ExpensePaid = Event<'ExpensePaid', { expenseId: string; paidOn: BusinessDate }>;
export type ExpenseAccepted = Event<'ExpenseAccepted', { expenseId: string; on: BusinessDate }>;

export type ExpenseStep = 'committed' | 'service-done' | 'paid' | 'accepted';

export type ExpenseRejected = Event<'ExpenseRejected', {
  expenseId: string;
  on: BusinessDate;
  reason: string;
  /** The step the expense had reached; 'accepted' means misused money is recognised (E3). */
  atStep: ExpenseStep;
}>;

/** D1: frozen as drawn up. */
export type StatementDrawnUp = Event<'StatementDrawnUp', {
  number: number;
  cutoff: BusinessDate;
  final: boolean;
  lines: StatementLine[];
  total: MoneyText;
  cumulativeTotal: MoneyText;
}>;

export type StatementSigned = Event<'StatementSigned', {
  number: number;
  as: StatementSignatoryRole;
  signatory: string;
  /** The authenticated subject who signed; D2 separation of duties is checked on it. */
  subject: string;
  signedOn: BusinessDate;
}>;

export type FundCallIssued = Event<'FundCallIssued', {
  tranche: number;
  statement: number;
  issuedOn: BusinessDate;
  /** Cumulative total of the statement the call relies on (F1 evidence). */
  statementCumulativeTotal: MoneyText;
}>;

export type TranchePaid = Event<'TranchePaid', {
  paymentId: string;
  tranche: number;
  amount: MoneyText;
  paidOn: BusinessDate;
  reference?: string;
}>;

export type ConventionAmended = Event<'ConventionAmended', {
  number: number;
  signedOn: BusinessDate;
  signatories: { funder: string; beneficiary: string };
  changes: { ceiling?: MoneyText; durationMonths?: number; tranches?: TrancheTerms[] };
  /** Terms in force after the amendment (A2/A3), so readers need not recompute them. */
  ceiling: MoneyText;
  durationMonths: number;
  tranches: TrancheTerms[];
  endsOn: BusinessDate;
}>;

export type ConventionClosed = Event<'ConventionClosed', {
  on: BusinessDate;
  statement: number;
  consumed: MoneyText;
  received: MoneyText;
  restitutionDue: MoneyText;
}>;

export type ConventionTerminated = Event<'ConventionTerminated', {
  on: BusinessDate;
  reason: string;
  atFault: PartyRole;
  dueParticipation: MoneyText;
  received: MoneyText;
  restitutionDue: MoneyText;
  owedToBeneficiary: MoneyText;
}>;

export type RestitutionPaid = Event<'RestitutionPaid', {
  restitutionId: string;
  amount: MoneyText;
  paidOn: BusinessDate;
}>;

/** R1: nothing is owed either way. */
export type ConventionSettled = Event<'ConventionSettled', { on: BusinessDate }>;

export type ConventionEvent =
  | ConventionRegistered
  | ConventionSigned
  | ConventionTookEffect
  | TrancheFellDue
  | ExpenseCommitted
  | ExpenseServiceDone
  | ExpensePaid
  | ExpenseAccepted
  | ExpenseRejected
  | StatementDrawnUp
  | StatementSigned
  | FundCallIssued
  | TranchePaid
  | ConventionAmended
  | ConventionClosed
  | ConventionTerminated
  | RestitutionPaid
  | ConventionSettled;

export type ConventionEventType = ConventionEvent['type'];

export const CONVENTION_EVENT_TYPES: readonly ConventionEventType[] = [
  'ConventionRegistered', 'ConventionSigned', 'ConventionTookEffect', 'TrancheFellDue',
  'ExpenseCommitted', 'ExpenseServiceDone', 'ExpensePaid', 'ExpenseAccepted', 'ExpenseRejected',
  'StatementDrawnUp', 'StatementSigned', 'FundCallIssued', 'TranchePaid', 'ConventionAmended',
  'ConventionClosed', 'ConventionTerminated', 'RestitutionPaid', 'ConventionSettled',
];

export const CURRENT_SCHEMA_VERSION = 1;

/** Builds an event at the current schema version. */
export function event<E extends ConventionEvent>(type: E['type'], data: E['data']): E {
  return { type, schemaVersion: CURRENT_SCHEMA_VERSION, data } as E;
}

const CONVENTION_STREAM_PREFIX = 'convention-';

/** The stream holding one convention's history. */
export const conventionStream = (conventionId: string) => `${CONVENTION_STREAM_PREFIX}${conventionId}`;


/** The convention a stream belongs to, or undefined for any other stream. */
export const conventionIdOf = (streamId: string): string | undefined =>
  streamId.startsWith(CONVENTION_STREAM_PREFIX) ? streamId.slice(CONVENTION_STREAM_PREFIX.length) : undefined;
