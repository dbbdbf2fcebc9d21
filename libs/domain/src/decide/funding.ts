import type { IssueFundCall, PayTranche } from '../commands';
import { ErrorCodes } from '../error-codes';
import { notFound, refuse } from '../errors';
import { type ConventionEvent, type ConventionSettled, type FundCallIssued, type TrancheFellDue, type TranchePaid, event } from '../events';
import { type Money, formatMoney } from '../money';
import {
  type ConventionState, type RegisteredConvention, type TrancheState, isStatementValid, lastSignatureOn, trancheOf,
} from '../state';
import { isPositiveInteger, requireActive, requireAmount, requireDate, requireNotBefore, requireStatus, requireText } from './guards';
import { evolve } from '../evolve';
import { settlementDate } from './settlement';
import { findStatement, requireLatestStatement } from './statements';

/** F1: a tranche released on consumption falls due through a call backed by a valid statement. */
export function issueFundCall(command: IssueFundCall, state: ConventionState): ConventionEvent[] {
  const convention = requireActive(state, 'F1', 'issue a fund call');
  const tranche = findTranche(convention, command.tranche);
  if (tranche.release.on !== 'consumption') {
    throw refuse(ErrorCodes.TRANCHE_NOT_CALLABLE, 'F1',
      `Tranche ${tranche.number} is released at signature; only tranches released on consumption are called.`, { tranche: tranche.number });
  }
  if (tranche.dueOn !== undefined) {
    throw refuse(ErrorCodes.TRANCHE_ALREADY_CALLED, 'F1', `Tranche ${tranche.number} was already called; it fell due on ${tranche.dueOn}.`,
      { tranche: tranche.number });
  }
  const earlierNotDue = convention.tranches.find((t) => t.number < tranche.number && t.dueOn === undefined);
  if (earlierNotDue) {
    throw refuse(ErrorCodes.TRANCHE_CALLED_OUT_OF_ORDER, 'F1',
      `Tranche ${tranche.number} cannot be called before tranche ${earlierNotDue.number}; tranches are called in order.`,
      { tranche: tranche.number, pending: earlierNotDue.number });
  }
  const statement = findStatement(convention, command.statement);
  requireLatestStatement(convention, statement, 'F1', `call tranche ${tranche.number}`);
  if (!isStatementValid(statement)) {
    throw refuse(ErrorCodes.STATEMENT_NOT_SIGNED, 'F1',
      `Statement ${statement.number} is not valid yet: it needs the signatures of the authorizing officer and of the public accountant.`,
      { statement: statement.number, signedAs: statement.signatures.map((s) => s.as) });
  }
  const threshold = tranche.release.threshold;
  if (statement.cumulativeTotal.lessThan(threshold)) {
    throw refuse(ErrorCodes.THRESHOLD_NOT_REACHED, 'F1',
      `Tranche ${tranche.number} is released once ${formatMoney(threshold)} is consumed; statement ${statement.number} shows a cumulative total of ${formatMoney(statement.cumulativeTotal)}.`,
      { tranche: tranche.number, threshold: formatMoney(threshold), cumulativeTotal: formatMoney(statement.cumulativeTotal), statement: statement.number });
  }
  const issuedOn = requireDate(command.issuedOn, 'issuedOn');
  requireNotBefore(issuedOn, lastSignatureOn(statement)!, 'issuedOn', `when statement ${statement.number} became valid`, 'F1');
  return [
    event<FundCallIssued>('FundCallIssued', {
      tranche: tranche.number, statement: statement.number, issuedOn, statementCumulativeTotal: formatMoney(statement.cumulativeTotal),
    }),
    event<TrancheFellDue>('TrancheFellDue', { tranche: tranche.number, amount: formatMoney(tranche.amount), dueOn: issuedOn, cause: 'fund-call' }),
  ];
}

/**
 * P1 while active. After a termination that leaves the funder owing the beneficiary (X1), the
 * funder pays what it owes on any tranche not fully paid, whether or not it fell due: the debt
 * comes from the termination, not from the schedule.
 */
export function payTranche(command: PayTranche, state: ConventionState): ConventionEvent[] {
  const convention = requireStatus(state, ['active', 'terminated'], 'P1', 'pay a tranche');
  const owing = convention.status === 'terminated';
  if (owing && convention.owedToBeneficiary.isZero()) {
    throw refuse(ErrorCodes.NOTHING_OWED_TO_BENEFICIARY, 'X1',
      'The convention is terminated and the funder owes the beneficiary nothing.', { status: convention.status });
  }
  const paymentId = requireText(command.paymentId, 'paymentId', 'P1');
  if (convention.payments.some((p) => p.paymentId === paymentId)) {
    throw refuse(ErrorCodes.PAYMENT_ALREADY_RECORDED, 'P1', `Payment ${paymentId} is already recorded.`, { paymentId });
  }
  const tranche = findTranche(convention, command.tranche);
  const amount = requireAmount(command.amount, 'amount', 'P1');
  const paidOn = requireDate(command.paidOn, 'paidOn');
  if (!owing && tranche.dueOn === undefined) {
    throw refuse(ErrorCodes.TRANCHE_NOT_DUE, 'P1', `Tranche ${tranche.number} is not due; nothing can be paid on it yet.`, { tranche: tranche.number });
  }
  checkNotOverpaid(convention, tranche, amount);
  if (owing) {
    if (amount.greaterThan(convention.owedToBeneficiary)) {
      throw refuse(ErrorCodes.PAYMENT_EXCEEDS_AMOUNT_OWED, 'X1',
        `The funder owes the beneficiary ${formatMoney(convention.owedToBeneficiary)} since the termination; ${formatMoney(amount)} is more.`,
        { amount: formatMoney(amount), owed: formatMoney(convention.owedToBeneficiary) });
    }
    requireNotBefore(paidOn, convention.termination!.on, 'paidOn', 'the termination date', 'X1');
  } else {
    requireNotBefore(paidOn, tranche.dueOn!, 'paidOn', `the date tranche ${tranche.number} fell due`, 'P1');
  }

  const paid = event<TranchePaid>('TranchePaid', {
    paymentId, tranche: tranche.number, amount: formatMoney(amount), paidOn,
    ...(command.reference !== undefined && command.reference !== '' ? { reference: command.reference } : {}),
  });
  const settles = owing && amount.equals(convention.owedToBeneficiary);
  if (!settles) return [paid];
  return [paid, event<ConventionSettled>('ConventionSettled', { on: settlementDate(evolve(convention, paid)!) })];
}

function checkNotOverpaid(convention: RegisteredConvention, tranche: TrancheState, amount: Money): void {
  const remaining = tranche.amount.minus(tranche.paid);
  if (amount.greaterThan(remaining)) {
    throw refuse(ErrorCodes.TRANCHE_OVERPAID, 'P1',
      `Tranche ${tranche.number} (${formatMoney(tranche.amount)}) has ${formatMoney(remaining)} left to pay; ${formatMoney(amount)} is more.`,
      { tranche: tranche.number, amount: formatMoney(amount), remaining: formatMoney(remaining) });
  }
  const received = convention.received.plus(amount);
  if (received.greaterThan(convention.ceiling)) {
    throw refuse(ErrorCodes.CEILING_EXCEEDED, 'P1',
      `Paying ${formatMoney(amount)} would bring the amount received to ${formatMoney(received)}, above the ceiling ${formatMoney(convention.ceiling)}.`,
      { amount: formatMoney(amount), received: formatMoney(convention.received), ceiling: formatMoney(convention.ceiling) });
  }
}

function findTranche(convention: RegisteredConvention, number: number): TrancheState {
  const tranche = isPositiveInteger(number) ? trancheOf(convention, number) : undefined;
  if (!tranche) throw notFound(ErrorCodes.TRANCHE_NOT_FOUND, `No tranche ${number} on this convention.`, { tranche: number });
  return tranche;
}
