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
  /** T1: the account holder's name when it is not the party's (e.g. the public accountant's office). */
  holder?: string;
}

export interface Party {
  name: string;
  representative: string;
  /**
   * T1 (v2): the organisation identifier (SIREN/SIRET-like), the key of access control. Events
   * recorded before v2 carry none; the upcaster gives them '' (no organisation).
   */
  organisation: string;
  /** T1 (v2), beneficiary only: the organisation of its public accountant, when another. */
  accountingOrganisation?: string;
  bankAccount: BankAccount;
}

/** A2 (v2): what an amendment may change of a party. */
export interface PartyChanges {
  representative?: string;
  bankAccount?: BankAccount;
}

/** E1 (v2): who was paid. */
export interface Payee {
  name: string;
  /** 14 digits, Luhn-checked (E1). */
  siret?: string;
}

/** E2 (v2): the invoice that proves the service done. */
export interface Invoice {
  number: string;
  issuedOn: BusinessDate;
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
  /** D1 (v2): the expense's details when known (E1, E2). */
  contract?: string;
  payee?: Payee;
  commitmentNumber?: string;
  invoice?: Invoice;
  paymentOrder?: string;
}

/**
 * D1 (v2): an expense listed on an earlier statement and rejected since, taken back out: its
 * amount is negative, so every cumulative total is the sum of all lines and corrections so far.
 */
export interface StatementCorrection {
  expenseId: string;
  /** Negative: "-1200.00". */
  amount: MoneyText;
  /** The statement that listed it. */
  listedOn: number;
  rejectedOn: BusinessDate;
  reason: string;
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
  payee?: Payee;
  commitmentNumber?: string;
}>;

export type ExpenseServiceDone = Event<'ExpenseServiceDone', { expenseId: string; on: BusinessDate; invoice?: Invoice }>;
export type ExpensePaid = Event<'ExpensePaid', { expenseId: string; paidOn: BusinessDate; paymentOrder?: string }>;
export type ExpenseAccepted = Event<'ExpenseAccepted', { expenseId: string; on: BusinessDate }>;

export type ExpenseStep = 'committed' | 'service-done' | 'paid' | 'accepted';

export type ExpenseRejected = Event<'ExpenseRejected', {
  expenseId: string;
  on: BusinessDate;
  reason: string;
  /** The step the expense had reached; 'accepted' means misused money is recognised (E3). */
  atStep: ExpenseStep;
  /** E3 (v2): the recovery order (titre de perception) issued for misused money. */
  recoveryOrder?: string;
}>;

/**
 * D1: frozen as drawn up. v2 adds the day it was drawn up, the previous cumulative total and the
 * correction lines: cumulativeTotal = previousCumulativeTotal + total + sum(corrections).
 */
export type StatementDrawnUp = Event<'StatementDrawnUp', {
  number: number;
  cutoff: BusinessDate;
  drawnUpOn: BusinessDate;
  final: boolean;
  lines: StatementLine[];
  corrections: StatementCorrection[];
  /** The sum of the new lines. */
  total: MoneyText;
  previousCumulativeTotal: MoneyText;
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

export interface AmendmentChanges {
  ceiling?: MoneyText;
  durationMonths?: number;
  tranches?: TrancheTerms[];
  /** A2 (v2). */
  expenseCategories?: string[];
  funder?: PartyChanges;
  beneficiary?: PartyChanges;
}

export type ConventionAmended = Event<'ConventionAmended', {
  number: number;
  signedOn: BusinessDate;
  signatories: { funder: string; beneficiary: string };
  changes: AmendmentChanges;
  /** Terms in force after the amendment (A2/A3), so readers need not recompute them. */
  ceiling: MoneyText;
  durationMonths: number;
  tranches: TrancheTerms[];
  endsOn: BusinessDate;
  /** v2: also in force after it (absent in amendments recorded before v2: unchanged). */
  expenseCategories?: string[];
  funder?: Party;
  beneficiary?: Party;
}>;

/**
 * C1 (v2): the figures at closure, as evidence; readers recompute them (late rejections, E3).
 * Tranches not due at closure lapse.
 */
export type ConventionClosed = Event<'ConventionClosed', {
  on: BusinessDate;
  statement: number;
  consumed: MoneyText;
  participation: MoneyText;
  received: MoneyText;
  restitutionDue: MoneyText;
  owedToBeneficiary: MoneyText;
  lapsedTranches: number[];
}>;

/**
 * X1 (v2): recorded by either party; takes effect on effectiveOn. The figures are provisional
 * (liquidation) until a valid final statement exists.
 */
export type ConventionTerminated = Event<'ConventionTerminated', {
  decidedOn: BusinessDate;
  effectiveOn: BusinessDate;
  decidedBy: PartyRole;
  reason: string;
  atFault: PartyRole;
  participation: MoneyText;
  received: MoneyText;
  restitutionDue: MoneyText;
  owedToBeneficiary: MoneyText;
  lapsedTranches: number[];
  /**
   * Set on terminations recorded before v2, which had no liquidation: their figures were final
   * from the termination on (the upcaster sets it; v2 terminations never carry it).
   */
  figuresFinal?: true;
}>;

/** R2 (v2): the funder pays what it owes the beneficiary after closure or termination. */
export type SettlementPaid = Event<'SettlementPaid', {
  paymentId: string;
  amount: MoneyText;
  paidOn: BusinessDate;
  reference?: string;
}>;

/** E3/R1 (v2): a late rejection made money owed again on a settled convention. */
export type SettlementReopened = Event<'SettlementReopened', {
  on: BusinessDate;
  expenseId: string;
  restitutionOutstanding: MoneyText;
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
  | SettlementPaid
  | ConventionSettled
  | SettlementReopened;

export type ConventionEventType = ConventionEvent['type'];

export const CONVENTION_EVENT_TYPES: readonly ConventionEventType[] = [
  'ConventionRegistered', 'ConventionSigned', 'ConventionTookEffect', 'TrancheFellDue',
  'ExpenseCommitted', 'ExpenseServiceDone', 'ExpensePaid', 'ExpenseAccepted', 'ExpenseRejected',
  'StatementDrawnUp', 'StatementSigned', 'FundCallIssued', 'TranchePaid', 'ConventionAmended',
  'ConventionClosed', 'ConventionTerminated', 'RestitutionPaid', 'SettlementPaid', 'ConventionSettled',
  'SettlementReopened',
];

/**
 * The schema version each type is written with today. A type whose payload changed shape has a
 * higher version and an upcaster from each older one (upcasting.ts); additive optional fields
 * need no new version.
 */
export const SCHEMA_VERSIONS: Readonly<Record<ConventionEventType, number>> = {
  ConventionRegistered: 2, ConventionSigned: 1, ConventionTookEffect: 1, TrancheFellDue: 1,
  ExpenseCommitted: 1, ExpenseServiceDone: 1, ExpensePaid: 1, ExpenseAccepted: 1, ExpenseRejected: 1,
  StatementDrawnUp: 2, StatementSigned: 1, FundCallIssued: 1, TranchePaid: 1, ConventionAmended: 1,
  ConventionClosed: 2, ConventionTerminated: 2, RestitutionPaid: 1, SettlementPaid: 1, ConventionSettled: 1,
  SettlementReopened: 1,
};

/** Builds an event at its current schema version. */
export function event<E extends ConventionEvent>(type: E['type'], data: E['data']): E {
  return { type, schemaVersion: SCHEMA_VERSIONS[type], data } as E;
}

const CONVENTION_STREAM_PREFIX = 'convention-';

/** The stream holding one convention's history. */
export const conventionStream = (conventionId: string) => `${CONVENTION_STREAM_PREFIX}${conventionId}`;


/** The convention a stream belongs to, or undefined for any other stream. */
export const conventionIdOf = (streamId: string): string | undefined =>
  streamId.startsWith(CONVENTION_STREAM_PREFIX) ? streamId.slice(CONVENTION_STREAM_PREFIX.length) : undefined;
