import { type ConventionEventType, CONVENTION_EVENT_TYPES } from '@cl/domain';
import type { Scenario } from './scenario';

/**
 * What a set of scenarios exercised: the paths that are hard to reach at random (a fund call
 * that succeeds, a rejection after the end, a settlement payment, an unsettled convention...).
 * The floors below are asserted over the fixed seeds, so that a change to the generator (or to
 * the domain) that stops exercising a path fails loudly instead of testing less.
 */
export interface Coverage {
  scenarios: number;
  conventions: number;
  attempted: number;
  accepted: number;
  events: Partial<Record<ConventionEventType, number>>;
  successfulFundCalls: number;
  /** E3 after the end: on a closed, terminated or settled convention. */
  lateRejections: number;
  lateRejectionsOnSettled: number;
  lateRejectionsWithRecoveryOrder: number;
  settlementPayments: number;
  restitutions: number;
  closures: number;
  terminations: number;
  terminationsByFunder: number;
  terminationsByBeneficiary: number;
  /** decidedOn before effectiveOn. */
  terminationsTakingEffectLater: number;
  /** Expense steps recorded on a terminated convention in liquidation (X1). */
  liquidationSteps: number;
  /** Final statements drawn up or signed during a liquidation, and the signatures that ended it. */
  liquidationStatements: number;
  provisionalEnded: number;
  settlements: number;
  unsettlings: number;
  resettlements: number;
  amendments: number;
  amendmentsChangingCategories: number;
  amendmentsChangingRepresentatives: number;
  amendmentsChangingBankAccounts: number;
  statementsWithCorrections: number;
  statementsDrawnUpAfterCutoff: number;
  expensesWithDetails: number;
  refusals: Record<string, number>;
}

export function coverageOf(scenarios: readonly Scenario[]): Coverage {
  const c: Coverage = {
    scenarios: scenarios.length, conventions: 0, attempted: 0, accepted: 0, events: {},
    successfulFundCalls: 0, lateRejections: 0, lateRejectionsOnSettled: 0, lateRejectionsWithRecoveryOrder: 0, settlementPayments: 0,
    restitutions: 0, closures: 0, terminations: 0, terminationsByFunder: 0, terminationsByBeneficiary: 0, terminationsTakingEffectLater: 0,
    liquidationSteps: 0, liquidationStatements: 0, provisionalEnded: 0, settlements: 0, unsettlings: 0, resettlements: 0, amendments: 0,
    amendmentsChangingCategories: 0, amendmentsChangingRepresentatives: 0, amendmentsChangingBankAccounts: 0,
    statementsWithCorrections: 0, statementsDrawnUpAfterCutoff: 0, expensesWithDetails: 0, refusals: {},
  };
  for (const scenario of scenarios) {
    c.conventions += scenario.conventions.size;
    c.attempted += scenario.attempted;
    c.accepted += scenario.accepted;
    for (const [code, count] of scenario.refusals) c.refusals[code] = (c.refusals[code] ?? 0) + count;
    const reopened = new Set<string>();
    for (const decided of scenario.log) {
      const ended = decided.statusBefore === 'closed' || decided.statusBefore === 'terminated' || decided.statusBefore === 'settled';
      for (const e of decided.events) {
        c.events[e.type] = (c.events[e.type] ?? 0) + 1;
        switch (e.type) {
          case 'FundCallIssued': c.successfulFundCalls += 1; break;
          case 'ExpenseRejected':
            if (ended) {
              c.lateRejections += 1;
              if (decided.statusBefore === 'settled') c.lateRejectionsOnSettled += 1;
              if (e.data.recoveryOrder !== undefined) c.lateRejectionsWithRecoveryOrder += 1;
            }
            break;
          case 'SettlementPaid': c.settlementPayments += 1; break;
          case 'RestitutionPaid': c.restitutions += 1; break;
          case 'ConventionClosed': c.closures += 1; break;
          case 'ConventionTerminated':
            c.terminations += 1;
            if (e.data.decidedBy === 'funder') c.terminationsByFunder += 1; else c.terminationsByBeneficiary += 1;
            if (e.data.decidedOn < e.data.effectiveOn) c.terminationsTakingEffectLater += 1;
            break;
          case 'ExpenseServiceDone': case 'ExpensePaid': case 'ExpenseAccepted':
            if (decided.provisionalBefore) c.liquidationSteps += 1;
            if (e.type === 'ExpenseServiceDone' && e.data.invoice) c.expensesWithDetails += 1;
            if (e.type === 'ExpensePaid' && e.data.paymentOrder) c.expensesWithDetails += 1;
            break;
          case 'ExpenseCommitted': if (e.data.payee || e.data.commitmentNumber) c.expensesWithDetails += 1; break;
          case 'StatementDrawnUp':
            if (decided.provisionalBefore) c.liquidationStatements += 1;
            if (e.data.corrections.length > 0) c.statementsWithCorrections += 1;
            if (e.data.drawnUpOn > e.data.cutoff) c.statementsDrawnUpAfterCutoff += 1;
            break;
          case 'StatementSigned': if (decided.provisionalBefore) c.liquidationStatements += 1; break;
          case 'ConventionSettled':
            c.settlements += 1;
            if (reopened.has(decided.conventionId)) c.resettlements += 1;
            break;
          case 'SettlementReopened': c.unsettlings += 1; reopened.add(decided.conventionId); break;
          case 'ConventionAmended':
            c.amendments += 1;
            if (e.data.changes.expenseCategories) c.amendmentsChangingCategories += 1;
            if (e.data.changes.funder?.representative || e.data.changes.beneficiary?.representative) c.amendmentsChangingRepresentatives += 1;
            if (e.data.changes.funder?.bankAccount || e.data.changes.beneficiary?.bankAccount) c.amendmentsChangingBankAccounts += 1;
            break;
          default: break;
        }
      }
      // The decision that made a terminated convention's figures final (X1): its final statement's second signature.
      if (decided.provisionalBefore && !decided.provisionalAfter) c.provisionalEnded += 1;
    }
  }
  return c;
}

/**
 * Floors per 30 scenarios of 3 conventions (scaled with the number of scenarios): each path is
 * exercised that many times at least. They sit at about half of what the fixed seeds reach (see
 * docs/testing.md), so that they fail when a path stops being reached, not on noise.
 */
export const COVERAGE_FLOORS_PER_30: Partial<Record<keyof Coverage, number>> = {
  successfulFundCalls: 50,
  lateRejections: 70,
  lateRejectionsOnSettled: 30,
  lateRejectionsWithRecoveryOrder: 45,
  settlementPayments: 40,
  restitutions: 55,
  closures: 17,
  terminations: 20,
  terminationsByFunder: 9,
  terminationsByBeneficiary: 9,
  terminationsTakingEffectLater: 10,
  liquidationSteps: 110,
  liquidationStatements: 45,
  provisionalEnded: 15,
  settlements: 50,
  unsettlings: 20,
  resettlements: 18,
  amendmentsChangingCategories: 18,
  amendmentsChangingRepresentatives: 9,
  amendmentsChangingBankAccounts: 9,
  statementsWithCorrections: 8,
  statementsDrawnUpAfterCutoff: 110,
};

/** Each floor not reached, as `name: reached < floor`. */
export function coverageShortfalls(coverage: Coverage): string[] {
  const scale = coverage.scenarios / 30;
  const out: string[] = [];
  for (const [name, floor] of Object.entries(COVERAGE_FLOORS_PER_30) as [keyof Coverage, number][]) {
    const reached = coverage[name] as number;
    const needed = Math.ceil(floor * scale);
    if (reached < needed) out.push(`${name}: ${reached} < ${needed}`);
  }
  const missing = CONVENTION_EVENT_TYPES.filter((type) => (coverage.events[type] ?? 0) < Math.ceil(3 * Math.min(1, scale)));
  if (missing.length > 0) out.push(`event types seen fewer than 3 times: ${missing.join(', ')}`);
  return out;
}
