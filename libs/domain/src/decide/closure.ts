import type { CloseConvention, PayRestitution, PaySettlement, TerminateConvention } from '../commands';
import type { BusinessDate } from '../dates';
import { ErrorCodes } from '../error-codes';
import { invalid, refuse } from '../errors';
import {
  type ConventionClosed, type ConventionEvent, type ConventionTerminated, type PartyRole, type RestitutionPaid, type SettlementPaid, event,
} from '../events';
import { fold } from '../evolve';
import { formatMoney } from '../money';
import { type ConventionState, type RegisteredConvention, consumed, figuresFinalOn, figuresOf, isStatementValid, lastSignatureOn } from '../state';
import {
  optionalText, requireActive, requireAmount, requireDate, requireNotBefore, requireStatus, requireText,
} from './guards';
import { latestFactDate, withSettlement } from './settlement';
import { findStatement, requireLatestStatement } from './statements';

/**
 * C1 (v2). Closure establishes the participation, min(consumed, ceiling), and what is owed
 * either way: consumption that reached a threshold is a right even if its tranche was never
 * called, so closure does not extinguish it; the funder pays it as a settlement (R2).
 */
export function close(command: CloseConvention, state: ConventionState): ConventionEvent[] {
  const convention = requireActive(state, 'C1', 'close the convention');
  const statement = findStatement(convention, command.statement);
  if (!statement.final) {
    throw refuse(ErrorCodes.STATEMENT_NOT_FINAL, 'C1', `Statement ${statement.number} is not a final statement.`, { statement: statement.number });
  }
  requireLatestStatement(convention, statement, 'C1', 'close the convention');
  if (!isStatementValid(statement)) {
    throw refuse(ErrorCodes.STATEMENT_NOT_SIGNED, 'C1',
      `Final statement ${statement.number} is not valid yet: it needs the signatures of the authorizing officer and of the public accountant.`,
      { statement: statement.number });
  }
  const consumedNow = consumed(convention);
  if (!statement.cumulativeTotal.equals(consumedNow)) {
    throw refuse(ErrorCodes.FINAL_STATEMENT_MISMATCH, 'C1',
      `Final statement ${statement.number} shows ${formatMoney(statement.cumulativeTotal)} but ${formatMoney(consumedNow)} is consumed now; draw up the statement again.`,
      { statement: statement.number, cumulativeTotal: formatMoney(statement.cumulativeTotal), consumed: formatMoney(consumedNow) });
  }
  const on = requireDate(command.on, 'on');
  // The statement is valid from its later signature, itself never before the cutoff (D2).
  requireNotBefore(on, lastSignatureOn(statement)!, 'on', `when final statement ${statement.number} became valid`, 'C1');
  // Closure ends the convention on its date: every fact it rests on lies on or before it.
  requireNotBefore(on, latestFactDate(convention), 'on', 'the latest fact recorded on the convention', 'C1');

  const provisional = event<ConventionClosed>('ConventionClosed', {
    on, statement: statement.number, consumed: formatMoney(consumedNow),
    participation: '0.00', received: '0.00', restitutionDue: '0.00', owedToBeneficiary: '0.00', lapsedTranches: [],
  });
  const closed = withEndingFigures(convention, provisional);
  return withSettlement(convention, [closed]);
}

/**
 * X1 (v2): either party records it, naming the party at fault, the day it was decided and the
 * day it takes effect. The participation is then liquidated from the expenses committed before
 * it; the figures stay provisional until a valid final statement exists.
 */
export function terminate(command: TerminateConvention, state: ConventionState): ConventionEvent[] {
  const convention = requireActive(state, 'X1', 'terminate the convention');
  const decidedOn = requireDate(command.decidedOn, 'decidedOn');
  const effectiveOn = requireDate(command.effectiveOn, 'effectiveOn');
  const reason = requireText(command.reason, 'reason', 'X1');
  const atFault = requireParty(command.atFault, 'atFault');
  const decidedBy = requireParty(command.decidedBy, 'decidedBy');
  requireNotBefore(decidedOn, convention.effectiveOn, 'decidedOn', 'the date the convention took effect', 'X1');
  requireNotBefore(effectiveOn, decidedOn, 'effectiveOn', 'the day the termination was decided', 'X1');
  const lastMoneyFact = latest([...convention.fundCalls.map((c) => c.issuedOn), ...convention.payments.map((p) => p.paidOn)]);
  if (lastMoneyFact) {
    requireNotBefore(effectiveOn, lastMoneyFact, 'effectiveOn', 'a fund call or a tranche payment already recorded', 'X1');
  }
  const provisional = event<ConventionTerminated>('ConventionTerminated', {
    decidedOn, effectiveOn, decidedBy, reason, atFault,
    participation: '0.00', received: '0.00', restitutionDue: '0.00', owedToBeneficiary: '0.00', lapsedTranches: [],
  });
  return withSettlement(convention, [withEndingFigures(convention, provisional)]);
}

/** The figures at the end, as evidence in the event itself (readers recompute them: E3 may change them). */
function withEndingFigures<E extends ConventionClosed | ConventionTerminated>(convention: RegisteredConvention, ending: E): E {
  const figures = figuresOf(fold([ending], convention) as RegisteredConvention);
  return {
    ...ending,
    data: {
      ...ending.data,
      participation: formatMoney(figures.participation!),
      received: formatMoney(figures.received),
      restitutionDue: formatMoney(figures.restitution.due),
      owedToBeneficiary: formatMoney(figures.owedToBeneficiary.due),
      lapsedTranches: figures.tranches.filter((t) => t.status === 'lapsed').map((t) => t.number),
    },
  };
}

/** R1: the beneficiary gives back, in one or several parts, never more than is outstanding. */
export function payRestitution(command: PayRestitution, state: ConventionState): ConventionEvent[] {
  const convention = requireEndedWithFinalFigures(state, 'R1', 'record a restitution');
  const outstanding = figuresOf(convention).restitution.outstanding;
  if (outstanding.isZero()) {
    throw refuse(ErrorCodes.NO_RESTITUTION_DUE, 'R1', 'No restitution is outstanding on this convention.', { status: convention.status });
  }
  const restitutionId = requireText(command.restitutionId, 'restitutionId', 'R1');
  if (convention.restitutions.some((r) => r.restitutionId === restitutionId)) {
    throw refuse(ErrorCodes.RESTITUTION_ALREADY_RECORDED, 'R1', `Restitution ${restitutionId} is already recorded.`, { restitutionId });
  }
  const amount = requireAmount(command.amount, 'amount', 'R1');
  const paidOn = requireDate(command.paidOn, 'paidOn');
  if (amount.greaterThan(outstanding)) {
    throw refuse(ErrorCodes.RESTITUTION_EXCEEDS_DUE, 'R1',
      `${formatMoney(outstanding)} is left to restitute; ${formatMoney(amount)} is more.`,
      { amount: formatMoney(amount), outstanding: formatMoney(outstanding) });
  }
  requireNotBefore(paidOn, figuresFinalOn(convention)!, 'paidOn', `the day the figures owed became final (${endingName(convention)})`, 'R1');
  const paid = event<RestitutionPaid>('RestitutionPaid', { restitutionId, amount: formatMoney(amount), paidOn });
  return withSettlement(convention, [paid]);
}

/** R2 (v2): the funder pays what it owes the beneficiary after the end, in one or several parts, never more. */
export function paySettlement(command: PaySettlement, state: ConventionState): ConventionEvent[] {
  const convention = requireEndedWithFinalFigures(state, 'R2', 'record a settlement payment');
  const outstanding = figuresOf(convention).owedToBeneficiary.outstanding;
  if (outstanding.isZero()) {
    throw refuse(ErrorCodes.NOTHING_OWED_TO_BENEFICIARY, 'R2', 'The funder owes the beneficiary nothing on this convention.', { status: convention.status });
  }
  const paymentId = requireText(command.paymentId, 'paymentId', 'R2');
  if (convention.settlementPayments.some((p) => p.paymentId === paymentId) || convention.payments.some((p) => p.paymentId === paymentId)) {
    throw refuse(ErrorCodes.PAYMENT_ALREADY_RECORDED, 'R2', `Payment ${paymentId} is already recorded.`, { paymentId });
  }
  const amount = requireAmount(command.amount, 'amount', 'R2');
  const paidOn = requireDate(command.paidOn, 'paidOn');
  const reference = optionalText(command.reference, 'reference', 'R2');
  if (amount.greaterThan(outstanding)) {
    throw refuse(ErrorCodes.PAYMENT_EXCEEDS_AMOUNT_OWED, 'R2',
      `The funder owes the beneficiary ${formatMoney(outstanding)}; ${formatMoney(amount)} is more.`,
      { amount: formatMoney(amount), owed: formatMoney(outstanding) });
  }
  requireNotBefore(paidOn, figuresFinalOn(convention)!, 'paidOn', `the day the figures owed became final (${endingName(convention)})`, 'R2');
  const paid = event<SettlementPaid>('SettlementPaid', { paymentId, amount: formatMoney(amount), paidOn, ...(reference !== undefined ? { reference } : {}) });
  return withSettlement(convention, [paid]);
}

/**
 * R1/R2 and X1: money changes hands after the end only on final figures; during a termination's
 * liquidation the participation may still move both ways.
 */
function requireEndedWithFinalFigures(state: ConventionState, rule: string, doing: string): RegisteredConvention {
  const convention = requireStatus(state, ['closed', 'terminated', 'settled'], rule, doing);
  if (figuresOf(convention).provisional) {
    throw refuse(ErrorCodes.FIGURES_PROVISIONAL, 'X1',
      `Cannot ${doing} yet: the convention is terminated and its participation is being liquidated; the figures are final once a final statement is signed.`,
      { status: convention.status });
  }
  return convention;
}

const endingName = (convention: RegisteredConvention) => (convention.closure
  ? `closure on ${convention.closure.on}`
  : `termination effective ${convention.termination!.effectiveOn}, liquidated by a final statement valid from ${figuresFinalOn(convention)}`);

function requireParty(value: unknown, field: string): PartyRole {
  if (value !== 'funder' && value !== 'beneficiary') {
    throw invalid(ErrorCodes.MALFORMED_COMMAND, 'X1', `${field} must be "funder" or "beneficiary".`, { field });
  }
  return value;
}

const latest = (dates: readonly BusinessDate[]): BusinessDate | undefined => (dates.length ? dates.reduce((a, b) => (b > a ? b : a)) : undefined);
