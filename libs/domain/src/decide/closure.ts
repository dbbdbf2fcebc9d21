import type { CloseConvention, PayRestitution, TerminateConvention } from '../commands';
import { ErrorCodes } from '../error-codes';
import { invalid, refuse } from '../errors';
import {
  type ConventionClosed, type ConventionEvent, type ConventionSettled, type ConventionTerminated, type RestitutionPaid, event,
} from '../events';
import { ZERO, formatMoney, maxMoney, minMoney } from '../money';
import {
  type ConventionState, consumed, due, dueParticipationOn, isStatementValid, lastSignatureOn, restitutionOutstanding,
} from '../state';
import { evolve } from '../evolve';
import { requireActive, requireAmount, requireDate, requireNotBefore, requireRegistered, requireText } from './guards';
import { endingFiguresKnownOn, settlementDate } from './settlement';
import { findStatement, requireLatestStatement } from './statements';

/**
 * C1. Closure settles only the money to give back (R1: settled when it is 0). So the funder
 * must first have paid the due tranches as far as consumption needs them: otherwise closure
 * would settle a convention on which the beneficiary is still owed money.
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
  const dueTotal = due(convention);
  const unpaid = minMoney(consumedNow, dueTotal).minus(convention.received);
  if (unpaid.greaterThan(0)) {
    throw refuse(ErrorCodes.DUE_TRANCHES_UNPAID, 'C1',
      `${formatMoney(consumedNow)} is consumed and ${formatMoney(dueTotal)} fell due, but only ${formatMoney(convention.received)} was received: the funder must pay ${formatMoney(unpaid)} more on the due tranches before closing.`,
      { consumed: formatMoney(consumedNow), due: formatMoney(dueTotal), received: formatMoney(convention.received), unpaid: formatMoney(unpaid) });
  }
  const on = requireDate(command.on, 'on');
  // The statement is valid from its later signature, itself never before the cutoff (D2).
  requireNotBefore(on, lastSignatureOn(statement)!, 'on', `when final statement ${statement.number} became valid`, 'C1');
  const restitutionDue = maxMoney(ZERO, convention.received.minus(consumedNow));
  const closed = event<ConventionClosed>('ConventionClosed', {
    on, statement: statement.number, consumed: formatMoney(consumedNow), received: formatMoney(convention.received),
    restitutionDue: formatMoney(restitutionDue),
  });
  return restitutionDue.isZero() ? [closed, event<ConventionSettled>('ConventionSettled', { on })] : [closed];
}

/** X1: participation is owed for the service done by the termination date, nothing after. */
export function terminate(command: TerminateConvention, state: ConventionState): ConventionEvent[] {
  const convention = requireActive(state, 'X1', 'terminate the convention');
  const on = requireDate(command.on, 'on');
  const reason = requireText(command.reason, 'reason', 'X1');
  if (command.atFault !== 'funder' && command.atFault !== 'beneficiary') {
    throw invalid(ErrorCodes.MALFORMED_COMMAND, 'X1', 'atFault must be "funder" or "beneficiary".', { field: 'atFault' });
  }
  requireNotBefore(on, convention.effectiveOn, 'on', 'the date the convention took effect', 'X1');
  const dueParticipation = dueParticipationOn(convention, on);
  const restitutionDue = maxMoney(ZERO, convention.received.minus(dueParticipation));
  const owedToBeneficiary = maxMoney(ZERO, dueParticipation.minus(convention.received));
  const terminated = event<ConventionTerminated>('ConventionTerminated', {
    on, reason, atFault: command.atFault,
    dueParticipation: formatMoney(dueParticipation), received: formatMoney(convention.received),
    restitutionDue: formatMoney(restitutionDue), owedToBeneficiary: formatMoney(owedToBeneficiary),
  });
  const settled = restitutionDue.isZero() && owedToBeneficiary.isZero();
  if (!settled) return [terminated];
  return [terminated, event<ConventionSettled>('ConventionSettled', { on: settlementDate(evolve(convention, terminated)!) })];
}

/** R1: the beneficiary gives back, in one or several parts, never more than is outstanding. */
export function payRestitution(command: PayRestitution, state: ConventionState): ConventionEvent[] {
  const convention = requireRegistered(state);
  const outstanding = restitutionOutstanding(convention);
  const ended = convention.status === 'closed' || convention.status === 'terminated';
  if (!ended || outstanding.isZero()) {
    throw refuse(ErrorCodes.NO_RESTITUTION_DUE, 'R1',
      ended ? 'No restitution is outstanding on this convention.' : `The convention is ${convention.status}: restitutions are due only after closure or termination.`,
      { status: convention.status });
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
  const endedOn = convention.closure?.on ?? convention.termination!.on;
  requireNotBefore(paidOn, endedOn, 'paidOn', `the date the convention was ${convention.status}`, 'R1');
  requireNotBefore(paidOn, endingFiguresKnownOn(convention), 'paidOn', 'the payments and rejections the restitution due rests on', 'R1');
  const paid = event<RestitutionPaid>('RestitutionPaid', { restitutionId, amount: formatMoney(amount), paidOn });
  if (!amount.equals(outstanding)) return [paid];
  return [paid, event<ConventionSettled>('ConventionSettled', { on: settlementDate(evolve(convention, paid)!) })];
}
