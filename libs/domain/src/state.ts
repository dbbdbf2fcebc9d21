import type { BusinessDate } from './dates';
import type {
  BudgetImputation, ExpenseStep, Party, PartyRole, StatementLine, StatementSignatoryRole,
} from './events';
import { type Money, ZERO, maxMoney, minMoney, sum } from './money';

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
}

export interface ExpenseState {
  readonly expenseId: string;
  readonly category: string;
  readonly description: string;
  readonly amount: Money;
  readonly contract?: string;
  /** The last step reached; a rejection does not change it (it is kept in `rejection`). */
  readonly step: ExpenseStep;
  readonly committedOn: BusinessDate;
  readonly serviceDoneOn?: BusinessDate;
  readonly paidOn?: BusinessDate;
  readonly acceptedOn?: BusinessDate;
  readonly rejection?: ExpenseRejection;
  /** Number of the statement that listed it (D1: an expense is listed once). */
  readonly statement?: number;
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
  readonly final: boolean;
  readonly lines: readonly StatementLine[];
  readonly total: Money;
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
  readonly on: BusinessDate;
  readonly reason: string;
  readonly atFault: PartyRole;
  /**
   * X1, kept current: a rejection recorded after termination (E3) lowers it, so the money
   * owed either way follows.
   */
  readonly dueParticipation: Money;
}

export interface RegisteredConvention {
  readonly conventionId: string;
  readonly reference: string;
  readonly title: string;
  readonly funder: Party;
  readonly beneficiary: Party;
  readonly budget?: BudgetImputation;
  readonly status: ConventionStatus;
  readonly ceiling: Money;
  readonly durationMonths: number;
  readonly tranches: readonly TrancheState[];
  /** Empty means any category is eligible. */
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
  /** Fixed at closure (C1); follows the termination figures (X1). */
  readonly restitutionDue: Money;
  readonly restitutions: readonly RestitutionState[];
  readonly restitutionPaid: Money;
  /** X1: what the funder still owes after termination, net of the payments made since. */
  readonly owedToBeneficiary: Money;
  readonly settledOn?: BusinessDate;
}

// ---- Derived figures. Rejected expenses never count (E3). ----

const live = (state: RegisteredConvention) => [...state.expenses.values()].filter((e) => !e.rejection);

/** E4: every non-rejected expense is committed. */
export const committed = (state: RegisteredConvention): Money => sum(live(state).map((e) => e.amount));

/** Consumed (consommé): accepted, non-rejected expenses. */
export const consumed = (state: RegisteredConvention): Money =>
  sum(live(state).filter((e) => e.step === 'accepted').map((e) => e.amount));

/** Sum of the tranches that fell due. */
export const due = (state: RegisteredConvention): Money =>
  sum(state.tranches.filter((t) => t.dueOn !== undefined).map((t) => t.amount));

export const restitutionOutstanding = (state: RegisteredConvention): Money =>
  maxMoney(ZERO, state.restitutionDue.minus(state.restitutionPaid));

/** X1: the funder's due participation at a termination date, capped at the ceiling. */
export function dueParticipationOn(state: RegisteredConvention, on: BusinessDate): Money {
  const served = live(state).filter((e) => e.serviceDoneOn !== undefined && e.serviceDoneOn <= on);
  return minMoney(state.ceiling, sum(served.map((e) => e.amount)));
}

/** A3: the latest commitment, service or payment date of a counted expense, which the period must still cover. */
export function latestExpenseDate(state: RegisteredConvention): { expenseId: string; date: BusinessDate } | undefined {
  let latest: { expenseId: string; date: BusinessDate } | undefined;
  for (const e of live(state)) {
    const date = e.paidOn ?? e.serviceDoneOn ?? e.committedOn;
    if (!latest || date > latest.date) latest = { expenseId: e.expenseId, date };
  }
  return latest;
}

/** D1: the cumulative total of a statement drawn up at this cutoff. */
export const acceptedPaidBy = (state: RegisteredConvention, cutoff: BusinessDate): ExpenseState[] =>
  live(state).filter((e) => e.step === 'accepted' && e.paidOn !== undefined && e.paidOn <= cutoff);

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

export const isNothingOwedEitherWay = (state: RegisteredConvention): boolean =>
  restitutionOutstanding(state).isZero() && state.owedToBeneficiary.isZero();
