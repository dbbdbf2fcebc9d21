import type { ConventionCommand } from './commands';
import { amend } from './decide/amendments';
import { close, payRestitution, terminate } from './decide/closure';
import { acceptExpense, commitExpense, recordPayment, recordServiceDone, rejectExpense } from './decide/expenses';
import { issueFundCall, payTranche } from './decide/funding';
import { register } from './decide/registration';
import { sign } from './decide/signatures';
import { drawUpStatement, signStatement } from './decide/statements';
import { ErrorCodes } from './error-codes';
import { invalid } from './errors';
import type { ConventionEvent } from './events';
import type { ConventionState } from './state';

/**
 * The ledger's only write rule: what happens if this command meets this history. Pure: no
 * clock, no ids, no I/O. A refusal is a DomainError. The HTTP edge validates the command's
 * shape before it gets here; anything else thrown is a bug, and propagates as such (a 500).
 */
export function decide(command: ConventionCommand, state: ConventionState): ConventionEvent[] {
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
    default:
      throw invalid(ErrorCodes.MALFORMED_COMMAND, 'M1', `Unknown command ${JSON.stringify((command as { type?: unknown })?.type)}.`);
  }
}
