import type { ConventionCommand, DecisionContext } from './commands';
import { isBusinessDate } from './dates';
import { amend } from './decide/amendments';
import { close, payRestitution, paySettlement, terminate } from './decide/closure';
import { acceptExpense, commitExpense, recordPayment, recordServiceDone, rejectExpense } from './decide/expenses';
import { issueFundCall, payTranche } from './decide/funding';
import { register } from './decide/registration';
import { sign } from './decide/signatures';
import { drawUpStatement, signStatement } from './decide/statements';
import { ErrorCodes } from './error-codes';
import { invalid, refuse } from './errors';
import type { ConventionEvent } from './events';
import type { ConventionState } from './state';

/**
 * The ledger's only write rule: what happens if this command meets this history, on this day.
 * Pure: no clock, no ids, no I/O. A refusal is a DomainError; anything else thrown is a bug.
 */
export function decide(command: ConventionCommand, state: ConventionState, context: DecisionContext): ConventionEvent[] {
  requireNoFutureDate(command, context.today);
  switch (command?.type) {
    case 'RegisterConvention': return register(command, state);
    case 'SignConvention': return sign(command, state);
    case 'CommitExpense': return commitExpense(command, state);
    case 'RecordServiceDone': return recordServiceDone(command, state);
    case 'RecordExpensePayment': return recordPayment(command, state);
    case 'AcceptExpense': return acceptExpense(command, state);
    case 'RejectExpense': return rejectExpense(command, state);
    case 'DrawUpStatement': return drawUpStatement(command, state);
    case 'SignStatement': return signStatement(command, state);
    case 'IssueFundCall': return issueFundCall(command, state);
    case 'PayTranche': return payTranche(command, state);
    case 'AmendConvention': return amend(command, state);
    case 'CloseConvention': return close(command, state);
    case 'TerminateConvention': return terminate(command, state);
    case 'PayRestitution': return payRestitution(command, state);
    case 'PaySettlement': return paySettlement(command, state);
    default:
      throw invalid(ErrorCodes.MALFORMED_COMMAND, 'M1', `Unknown command ${JSON.stringify((command as { type?: unknown })?.type)}.`);
  }
}

/** Every business date a command carries, by field name. */
function businessDatesOf(command: ConventionCommand): [string, unknown][] {
  switch (command?.type) {
    case 'SignConvention': return [['signedOn', command.signedOn]];
    case 'CommitExpense': return [['committedOn', command.committedOn]];
    case 'RecordServiceDone': return [['on', command.on], ['invoice.issuedOn', command.invoice?.issuedOn]];
    case 'RecordExpensePayment': return [['paidOn', command.paidOn]];
    case 'AcceptExpense': return [['on', command.on]];
    case 'RejectExpense': return [['on', command.on]];
    case 'DrawUpStatement': return [['cutoff', command.cutoff], ['drawnUpOn', command.drawnUpOn]];
    case 'SignStatement': return [['signedOn', command.signedOn]];
    case 'IssueFundCall': return [['issuedOn', command.issuedOn]];
    case 'PayTranche': return [['paidOn', command.paidOn]];
    case 'AmendConvention': return [['signedOn', command.signedOn]];
    case 'CloseConvention': return [['on', command.on]];
    case 'TerminateConvention': return [['decidedOn', command.decidedOn], ['effectiveOn', command.effectiveOn]];
    case 'PayRestitution': return [['paidOn', command.paidOn]];
    case 'PaySettlement': return [['paidOn', command.paidOn]];
    default: return [];
  }
}

/**
 * M4 (v2): no business date lies after the day it is recorded (Europe/Paris, given by the
 * caller): a payment "on 2099-12-31" is a typing error, and a cutoff far ahead would block
 * every later statement. Malformed dates are left to each rule's own check (400).
 */
function requireNoFutureDate(command: ConventionCommand, today: string): void {
  for (const [field, date] of businessDatesOf(command)) {
    if (isBusinessDate(date) && date > today) {
      throw refuse(ErrorCodes.DATE_IN_FUTURE, 'M4', `${field} ${date} is after today (${today}, Europe/Paris): a business date cannot lie in the future.`,
        { field, date, today });
    }
  }
}
