import { type BusinessDate, maxDate } from './dates';
import type {
  BudgetImputation, ExpenseStep, Invoice, Party, PartyRole, Payee, StatementCorrection, StatementLine, StatementSignatoryRole,
} from './events';
import { type Figures, type LedgerFacts, figuresAsOf, termsOn } from './figures';
import { type Money, sum } from './money';

/**
 * What decide() needs to know about one convention, rebuilt from its events by evolve().
 * Before registration there is nothing: the state is null.
 */
export type ConventionState = RegisteredConvention | null;

export type ConventionStatus = 'draft' | 'active' | 'closed' | 'terminated' | 'settled';

export type TrancheReleaseTerms = { on: 'signature' } | { on: 'consumption'; threshold: Money };

export interface TrancheState {
  readonly number: number;
  readonly amount: Money;
  readonly release: TrancheReleaseTerms;
  /** Set when the tranche fell due (S2 at effect, F1 through a fund call, A2 at an amendment). */
  readonly dueOn?: BusinessDate;
  readonly paid: Money;
}

export interface ExpenseRejection {
  readonly on: BusinessDate;
  readonly reason: string;
  readonly atStep: ExpenseStep;
  readonly recoveryOrder?: string;
}

export interface ExpenseState {
  readonly expenseId: string;
  readonly category: string;
  readonly description: string;
  readonly amount: Money;
  readonly contract?: string;
  readonly payee?: Payee;
  readonly commitmentNumber?: string;
  readonly invoice?: Invoice;
  readonly paymentOrder?: string;
  /** The last step reached; a rejection does not change it (it is kept in `rejection`). */
  readonly step: ExpenseStep;
  readonly committedOn: BusinessDate;
  readonly serviceDoneOn?: BusinessDate;
  readonly paidOn?: BusinessDate;
  readonly acceptedOn?: BusinessDate;
  readonly rejection?: ExpenseRejection;
  /** Number of the statement that listed it (D1: an expense is listed once). */
  readonly statement?: number;
  /** Number of the statement that took it back out with a correction line (D1, v2). */
  readonly correctedIn?: number;
}

export interface StatementSignature {
  readonly as: StatementSignatoryRole;
  readonly signatory: string;
  readonly subject: string;
  readonly signedOn: BusinessDate;
}

export interface StatementState {
  readonly number: number;
  readonly cutoff: BusinessDate;
  readonly drawnUpOn: BusinessDate;
  readonly final: boolean;
  readonly lines: readonly StatementLine[];
  readonly corrections: readonly StatementCorrection[];
  readonly total: Money;
  readonly previousCumulativeTotal: Money;
  readonly cumulativeTotal: Money;
  readonly signatures: readonly StatementSignature[];
}

export interface FundCallState {
  readonly tranche: number;
  readonly statement: number;
  readonly issuedOn: BusinessDate;
}

export interface PaymentState {
  readonly paymentId: string;
  readonly tranche: number;
  readonly amount: Money;
  readonly paidOn: BusinessDate;
  readonly reference?: string;
}

export interface SettlementPaymentState {
  readonly paymentId: string;
  readonly amount: Money;
  readonly paidOn: BusinessDate;
  readonly reference?: string;
}

export interface RestitutionState {
  readonly restitutionId: string;
  readonly amount: Money;
  readonly paidOn: BusinessDate;
}

export interface ConventionSignature {
  readonly signatory: string;
  readonly signedOn: BusinessDate;
}

export interface Closure {
  readonly on: BusinessDate;
  readonly statement: number;
}

export interface Termination {
  readonly decidedOn: BusinessDate;
  readonly effectiveOn: BusinessDate;
  readonly decidedBy: PartyRole;
  readonly reason: string;
  readonly atFault: PartyRole;
  /** Recorded before v2 (no liquidation then): the figures are final from the termination on. */
  readonly figuresFinal?: boolean;
}

/** A3: one version of the terms, in force from its date (the registered terms have none). */
export interface TermsVersion {
  readonly from?: BusinessDate;
  /** The amendment that made it (0: the registered terms). */
  readonly amendment: number;
  readonly ceiling: Money;
  readonly durationMonths: number;
  /** Known once the convention took effect. */
  readonly endsOn?: BusinessDate;
  readonly tranches: readonly { number: number; amount: Money; release: TrancheReleaseTerms }[];
  /** Empty means any category is eligible. */
  readonly expenseCategories: readonly string[];
  readonly funder: Party;
  readonly beneficiary: Party;
}

export interface RegisteredConvention {
  readonly conventionId: string;
  readonly reference: string;
  readonly title: string;
  readonly budget?: BudgetImputation;
  readonly status: ConventionStatus;
  /** The terms timeline, oldest first; the last one is in force now (A3). */
  readonly terms: readonly TermsVersion[];
  /** Shortcuts to the terms in force now. */
  readonly funder: Party;
  readonly beneficiary: Party;
  readonly ceiling: Money;
  readonly durationMonths: number;
  /** The schedule in force, with what fell due and what was paid. */
  readonly tranches: readonly TrancheState[];
  readonly expenseCategories: readonly string[];
  readonly signatures: Readonly<Partial<Record<PartyRole, ConventionSignature>>>;
  readonly effectiveOn?: BusinessDate;
  readonly endsOn?: BusinessDate;
  readonly expenses: ReadonlyMap<string, ExpenseState>;
  /** In order: statements[i].number === i + 1. */
  readonly statements: readonly StatementState[];
  readonly fundCalls: readonly FundCallState[];
  readonly payments: readonly PaymentState[];
  readonly received: Money;
  readonly amendments: number;
  /** Date of the latest amendment (A1: amendments follow one another in date order). */
  readonly lastAmendedOn?: BusinessDate;
  readonly closure?: Closure;
  readonly termination?: Termination;
  readonly settlementPayments: readonly SettlementPaymentState[];
  readonly restitutions: readonly RestitutionState[];
  readonly settledOn?: BusinessDate;
}

// ---- Derived figures. Rejected expenses never count (E3). ----

const live = (state: RegisteredConvention) => [...state.expenses.values()].filter((e) => !e.rejection);

/** Every non-rejected expense is committed (E4 counts them). */
export const committed = (state: RegisteredConvention): Money => sum(live(state).map((e) => e.amount));

/** Consumed (consommé): accepted, non-rejected expenses. */
export const consumed = (state: RegisteredConvention): Money =>
  sum(live(state).filter((e) => e.step === 'accepted').map((e) => e.amount));

/** The facts the figures are computed from (figures.ts), as this state knows them. */
export function ledgerFactsOf(state: RegisteredConvention): LedgerFacts {
  const called = new Set(state.fundCalls.map((c) => c.tranche));
  return {
    effectiveOn: state.effectiveOn,
    terms: state.terms.map((t) => ({ from: t.from, ceiling: t.ceiling, tranches: t.tranches })),
    expenses: [...state.expenses.values()].map((e) => ({
      amount: e.amount, committedOn: e.committedOn, serviceDoneOn: e.serviceDoneOn, paidOn: e.paidOn,
      acceptedOn: e.acceptedOn, rejectedOn: e.rejection?.on,
    })),
    tranchesDue: state.tranches.filter((t) => t.dueOn !== undefined)
      .map((t) => ({ tranche: t.number, amount: t.amount, on: t.dueOn!, cause: called.has(t.number) ? 'fund-call' as const : 'signature' as const })),
    tranchePayments: state.payments.map((p) => ({ tranche: p.tranche, amount: p.amount, on: p.paidOn })),
    settlementPayments: state.settlementPayments.map((p) => ({ amount: p.amount, on: p.paidOn })),
    restitutions: state.restitutions.map((r) => ({ amount: r.amount, on: r.paidOn })),
    closedOn: state.closure?.on,
    termination: state.termination && {
      decidedOn: state.termination.decidedOn, effectiveOn: state.termination.effectiveOn,
      ...(state.termination.figuresFinal ? { figuresFinal: true } : {}),
    },
    finalStatementsValidOn: state.statements.filter((s) => s.final && isStatementValid(s)).map((s) => lastSignatureOn(s)!),
  };
}

/** The figures of figures.ts for this state, now or as of a date. */
export const figuresOf = (state: RegisteredConvention, asOf?: BusinessDate): Figures => figuresAsOf(ledgerFactsOf(state), asOf);

/** A3: the terms in force on a date. */
export const termsInForceOn = (state: RegisteredConvention, on: BusinessDate): TermsVersion => termsOn(state.terms, on);

/** A3: the latest commitment, service or payment date of a counted expense, which the period must still cover. */
export function latestExpenseDate(state: RegisteredConvention): { expenseId: string; date: BusinessDate } | undefined {
  let latest: { expenseId: string; date: BusinessDate } | undefined;
  for (const e of live(state)) {
    const date = e.paidOn ?? e.serviceDoneOn ?? e.committedOn;
    if (!latest || date > latest.date) latest = { expenseId: e.expenseId, date };
  }
  return latest;
}

export const statementOf = (state: RegisteredConvention, number: number): StatementState | undefined =>
  Number.isInteger(number) && number >= 1 ? state.statements[number - 1] : undefined;

export const trancheOf = (state: RegisteredConvention, number: number): TrancheState | undefined =>
  state.tranches.find((t) => t.number === number);

/** D2: valid once signed in both roles. */
export const isStatementValid = (statement: StatementState): boolean =>
  statement.signatures.some((s) => s.as === 'authorizing-officer') &&
  statement.signatures.some((s) => s.as === 'public-accountant');

export const lastSignatureOn = (statement: StatementState): BusinessDate | undefined =>
  statement.signatures.map((s) => s.signedOn).sort().at(-1);

/**
 * The day the figures owed either way became final: the closure (C1); after a termination (X1)
 * the day a final statement became valid (its later signature), or the effect itself for a
 * termination recorded before v2. Undefined while active or provisional.
 */
export function figuresFinalOn(state: RegisteredConvention): BusinessDate | undefined {
  if (state.closure) return state.closure.on;
  if (!state.termination) return undefined;
  if (state.termination.figuresFinal) return state.termination.effectiveOn;
  const firstFinal = state.statements.filter((s) => s.final && isStatementValid(s)).map((s) => lastSignatureOn(s)!).sort()[0];
  return firstFinal === undefined ? undefined : maxDate(firstFinal, state.termination.effectiveOn);
}
