import Decimal from 'decimal.js';
import type { ConventionCommand } from '../src/commands';
import type { ConventionEvent } from '../src/events';
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

/** Draws up the next statement and has it signed by both roles on `signedOn`. */
export function signedStatement(number: number, cutoff: string, final: boolean, signedOn = cutoff): ConventionCommand[] {
  return [
    { type: 'DrawUpStatement', cutoff, final },
    { type: 'SignStatement', number, as: 'authorizing-officer', ...OFFICER, signedOn },
    { type: 'SignStatement', number, as: 'public-accountant', ...ACCOUNTANT, signedOn },
  ];
}

export const payment = (paymentId: string, tranche: number, amount: string, paidOn: string): ConventionCommand =>
  ({ type: 'PayTranche', paymentId, tranche, amount: eur(amount), paidOn });
