import type { CloseConvention, PayRestitution, TerminateConvention } from '../commands';
import { ErrorCodes } from '../error-codes';
import { invalid, refuse } from '../errors';
import {
  type ConventionClosed, type ConventionEvent, type ConventionSettled, type ConventionTerminated, type RestitutionPaid, event,
} from '../events';
import { ZERO, formatMoney, maxMoney } from '../money';
import {
  type ConventionState, consumed, dueParticipationOn, isStatementValid, restitutionOutstanding,
} from '../state';
import { requireActive, requireAmount, requireDate, requireNotBefore, requireRegistered, requireText } from './guards';
import { findStatement } from './statements';

/**
 * C1. Closure settles only the money to give back: tranches due but unpaid at closure are not
 * turned into a debt of the funder, who is expected to pay them before closing.
 */
export function close(command: CloseConvention, state: ConventionState): ConventionEvent[] {
  const convention = requireActive(state, 'C1', 'close the convention');
  const statement = findStatement(convention, command.statement);
  if (!statement.final) {
    throw refuse(ErrorCodes.STATEMENT_NOT_FINAL, 'C1', `Statement ${statement.number} is not a final statement.`, { statement: statement.number });
  }
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
  requireNotBefore(on, statement.cutoff, 'on', `the cutoff of final statement ${statement.number}`, 'C1');
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
  return settled ? [terminated, event<ConventionSettled>('ConventionSettled', { on })] : [terminated];
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
  const paid = event<RestitutionPaid>('RestitutionPaid', { restitutionId, amount: formatMoney(amount), paidOn });
  return amount.equals(outstanding) ? [paid, event<ConventionSettled>('ConventionSettled', { on: paidOn })] : [paid];
}
