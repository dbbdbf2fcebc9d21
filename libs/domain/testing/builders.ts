import Decimal from 'decimal.js';
import type {
  AmendConvention, CloseConvention, ConventionCommand, PayRestitution, PaySettlement, RejectExpense, TerminateConvention,
} from '../src/commands';
import type { ConventionEvent, PartyRole } from '../src/events';
import { historyOf } from './specification';
import { seedRegistration, seedSignatures } from './seed-convention';

export const eur = (amount: string) => new Decimal(amount);

/** The seed registered and signed on 2020-05-11: active until 2021-05-11, tranche 1 due. */
export const activeSeed = (): ConventionEvent[] => historyOf([seedRegistration(), ...seedSignatures()]);

export interface ExpenseDates {
  committedOn: string;
  serviceDoneOn?: string;
  paidOn?: string;
  acceptedOn?: string;
}

/** The commands taking one expense as far as the dates given. */
export function expense(expenseId: string, amount: string, dates: ExpenseDates, category = 'devops'): ConventionCommand[] {
  const commands: ConventionCommand[] = [{
    type: 'CommitExpense', expenseId, category, description: `${category} work ${expenseId}`, amount: eur(amount), committedOn: dates.committedOn,
  }];
  if (dates.serviceDoneOn) commands.push({ type: 'RecordServiceDone', expenseId, on: dates.serviceDoneOn });
  if (dates.paidOn) commands.push({ type: 'RecordExpensePayment', expenseId, paidOn: dates.paidOn });
  if (dates.acceptedOn) commands.push({ type: 'AcceptExpense', expenseId, on: dates.acceptedOn });
  return commands;
}

/** An expense accepted with all its steps on one date, for specs where dates do not matter. */
export const acceptedExpense = (expenseId: string, amount: string, on: string, category = 'devops') =>
  expense(expenseId, amount, { committedOn: on, serviceDoneOn: on, paidOn: on, acceptedOn: on }, category);

export const OFFICER = { signatory: 'Agnès Ordonnatrice', subject: 'officer@dinum' };
export const ACCOUNTANT = { signatory: 'Paul Comptable', subject: 'accountant@cbcm' };

/**
 * Draws up the next statement and has it signed by both roles on `signedOn`. It is drawn up on
 * `drawnUpOn`, by default the cutoff (D1): an expense accepted after that day is not listed.
 */
export function signedStatement(number: number, cutoff: string, final: boolean, signedOn = cutoff, drawnUpOn?: string): ConventionCommand[] {
  return [
    { type: 'DrawUpStatement', cutoff, final, ...(drawnUpOn !== undefined ? { drawnUpOn } : {}) },
    { type: 'SignStatement', number, as: 'authorizing-officer', ...OFFICER, signedOn },
    { type: 'SignStatement', number, as: 'public-accountant', ...ACCOUNTANT, signedOn },
  ];
}

export const payment = (paymentId: string, tranche: number, amount: string, paidOn: string): ConventionCommand =>
  ({ type: 'PayTranche', paymentId, tranche, amount: eur(amount), paidOn });

/** X1: a termination decided and taking effect on `effectiveOn` unless told otherwise. */
export const termination = (
  effectiveOn: string,
  options: Partial<{ decidedOn: string; decidedBy: PartyRole; reason: string; atFault: PartyRole }> = {},
): TerminateConvention => ({
  type: 'TerminateConvention',
  decidedOn: options.decidedOn ?? effectiveOn,
  effectiveOn,
  decidedBy: options.decidedBy ?? 'funder',
  reason: options.reason ?? 'manquement aux obligations de compte rendu',
  atFault: options.atFault ?? 'beneficiary',
});

export const closure = (on: string, statement = 1): CloseConvention => ({ type: 'CloseConvention', on, statement });

/** R1: the beneficiary pays back. */
export const restitution = (restitutionId: string, amount: string, paidOn: string): PayRestitution =>
  ({ type: 'PayRestitution', restitutionId, amount: eur(amount), paidOn });

/** R2: the funder pays what it owes after the end. */
export const settlementPayment = (paymentId: string, amount: string, paidOn: string, reference?: string): PaySettlement =>
  ({ type: 'PaySettlement', paymentId, amount: eur(amount), paidOn, ...(reference !== undefined ? { reference } : {}) });

export const rejection = (expenseId: string, on: string, reason = 'dépense inéligible', recoveryOrder?: string): RejectExpense =>
  ({ type: 'RejectExpense', expenseId, on, reason, ...(recoveryOrder !== undefined ? { recoveryOrder } : {}) });

/** Both parties sign an amendment on `signedOn`. */
export const amendment = (changes: AmendConvention['changes'], signedOn: string): AmendConvention =>
  ({ type: 'AmendConvention', signedOn, signatories: { funder: 'Yves Le Breton', beneficiary: 'Nadi Bou Hanna' }, changes });
