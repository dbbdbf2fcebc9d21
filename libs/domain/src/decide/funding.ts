import type { IssueFundCall, PayTranche } from '../commands';
import { ErrorCodes } from '../error-codes';
import { notFound, refuse } from '../errors';
import type { BusinessDate } from '../dates';
import { type ConventionEvent, type FundCallIssued, type TrancheFellDue, type TranchePaid, event } from '../events';
import { type Money, formatMoney, sum } from '../money';
import {
  type ConventionState, type RegisteredConvention, type TermsVersion, type TrancheState, isStatementValid, lastSignatureOn, termsInForceOn, trancheOf,
} from '../state';
import { firstCeilingBreach, paymentDates, receivedAsOf } from './ceiling';
import { isPositiveInteger, optionalText, requireActive, requireAmount, requireDate, requireNotBefore, requireText } from './guards';
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
  const issuedOn = requireDate(command.issuedOn, 'issuedOn');
  requireScheduleInForce(convention, tranche, issuedOn);
  const threshold = tranche.release.threshold;
  if (statement.cumulativeTotal.lessThan(threshold)) {
    throw refuse(ErrorCodes.THRESHOLD_NOT_REACHED, 'F1',
      `Tranche ${tranche.number} is released once ${formatMoney(threshold)} is consumed; statement ${statement.number} shows a cumulative total of ${formatMoney(statement.cumulativeTotal)}.`,
      { tranche: tranche.number, threshold: formatMoney(threshold), cumulativeTotal: formatMoney(statement.cumulativeTotal), statement: statement.number });
  }
  // F1 (v2): the statement is not enough: what is consumed on the call date, without the
  // expenses rejected since, must reach the threshold too.
  const consumedThen = sum([...convention.expenses.values()]
    .filter((e) => !e.rejection && e.acceptedOn !== undefined && e.acceptedOn <= issuedOn).map((e) => e.amount));
  if (consumedThen.lessThan(threshold)) {
    throw refuse(ErrorCodes.THRESHOLD_NOT_REACHED, 'F1',
      `Tranche ${tranche.number} is released once ${formatMoney(threshold)} is consumed; statement ${statement.number} shows ${formatMoney(statement.cumulativeTotal)}, but accepted expenses not rejected since come to ${formatMoney(consumedThen)} on ${issuedOn}.`,
      { tranche: tranche.number, threshold: formatMoney(threshold), cumulativeTotal: formatMoney(statement.cumulativeTotal), consumed: formatMoney(consumedThen), statement: statement.number });
  }
  requireNotBefore(issuedOn, lastSignatureOn(statement)!, 'issuedOn', `when statement ${statement.number} became valid`, 'F1');
  return [
    event<FundCallIssued>('FundCallIssued', {
      tranche: tranche.number, statement: statement.number, issuedOn, statementCumulativeTotal: formatMoney(statement.cumulativeTotal),
    }),
    event<TrancheFellDue>('TrancheFellDue', { tranche: tranche.number, amount: formatMoney(tranche.amount), dueOn: issuedOn, cause: 'fund-call' }),
  ];
}

/** P1: the funder pays due tranches while the convention is active; after its end it pays what it owes as a settlement (R2). */
export function payTranche(command: PayTranche, state: ConventionState): ConventionEvent[] {
  const convention = requireActive(state, 'P1', 'pay a tranche (after closure or termination the funder pays what it owes as a settlement payment)');
  const paymentId = requireText(command.paymentId, 'paymentId', 'P1');
  if (convention.payments.some((p) => p.paymentId === paymentId) || convention.settlementPayments.some((p) => p.paymentId === paymentId)) {
    throw refuse(ErrorCodes.PAYMENT_ALREADY_RECORDED, 'P1', `Payment ${paymentId} is already recorded.`, { paymentId });
  }
  const tranche = findTranche(convention, command.tranche);
  const amount = requireAmount(command.amount, 'amount', 'P1');
  const paidOn = requireDate(command.paidOn, 'paidOn');
  const reference = optionalText(command.reference, 'reference', 'P1');
  if (tranche.dueOn === undefined) {
    throw refuse(ErrorCodes.TRANCHE_NOT_DUE, 'P1', `Tranche ${tranche.number} is not due; nothing can be paid on it yet.`, { tranche: tranche.number });
  }
  checkNotOverpaid(convention, tranche, amount, paidOn);
  requireNotBefore(paidOn, tranche.dueOn, 'paidOn', `the date tranche ${tranche.number} fell due`, 'P1');
  return [event<TranchePaid>('TranchePaid', {
    paymentId, tranche: tranche.number, amount: formatMoney(amount), paidOn, ...(reference !== undefined ? { reference } : {}),
  })];
}

function checkNotOverpaid(convention: RegisteredConvention, tranche: TrancheState, amount: Money, paidOn: BusinessDate): void {
  const remaining = tranche.amount.minus(tranche.paid);
  if (amount.greaterThan(remaining)) {
    throw refuse(ErrorCodes.TRANCHE_OVERPAID, 'P1',
      `Tranche ${tranche.number} (${formatMoney(tranche.amount)}) has ${formatMoney(remaining)} left to pay; ${formatMoney(amount)} is more.`,
      { tranche: tranche.number, amount: formatMoney(amount), remaining: formatMoney(remaining) });
  }
  // Received never exceeds the ceiling in force, on any date from this payment on (A3).
  const breach = firstCeilingBreach(convention, paidOn, amount, (t) => receivedAsOf(convention, t), paymentDates(convention));
  if (breach) {
    throw refuse(ErrorCodes.CEILING_EXCEEDED, 'P1',
      `Paying ${formatMoney(amount)} on ${paidOn} would bring the amount received to ${formatMoney(breach.total)} on ${breach.date}, above the ceiling in force then, ${formatMoney(breach.ceiling)}.`,
      { amount: formatMoney(amount), date: breach.date, received: formatMoney(breach.total.minus(amount)), ceiling: formatMoney(breach.ceiling) });
  }
}

/**
 * A3: a call is judged on the terms of its date. Dated before an amendment that changed this
 * tranche, it would rest on terms that were not those of its date: it may be dated from the
 * amendment since which the tranche's terms are the ones in force now.
 */
function requireScheduleInForce(convention: RegisteredConvention, tranche: TrancheState, issuedOn: BusinessDate): void {
  const sameTerms = (version: TermsVersion) => {
    const then = version.tranches.find((t) => t.number === tranche.number);
    return then !== undefined && then.amount.equals(tranche.amount) && then.release.on === tranche.release.on &&
      (then.release.on !== 'consumption' || (tranche.release.on === 'consumption' && then.release.threshold.equals(tranche.release.threshold)));
  };
  if (sameTerms(termsInForceOn(convention, issuedOn))) return;
  let since = convention.terms.length - 1;
  while (since > 0 && sameTerms(convention.terms[since - 1])) since -= 1;
  const setBy = convention.terms[since];
  requireNotBefore(issuedOn, setBy.from!, 'issuedOn', `amendment ${setBy.amendment}, which set the terms of tranche ${tranche.number}`, 'A3');
}

function findTranche(convention: RegisteredConvention, number: number): TrancheState {
  const tranche = isPositiveInteger(number) ? trancheOf(convention, number) : undefined;
  if (!tranche) throw notFound(ErrorCodes.TRANCHE_NOT_FOUND, `No tranche ${number} on this convention.`, { tranche: number });
  return tranche;
}
