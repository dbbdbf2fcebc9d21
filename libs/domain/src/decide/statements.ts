import type { DrawUpStatement, SignStatement } from '../commands';
import { ErrorCodes } from '../error-codes';
import { invalid, notFound, refuse } from '../errors';
import { type StatementDrawnUp, type StatementLine, type StatementSigned, event } from '../events';
import { formatMoney, sum } from '../money';
import {
  type ConventionState, type ExpenseState, type RegisteredConvention, type StatementState, acceptedPaidBy, consumed, statementOf,
} from '../state';
import { requireActive, requireDate, requireNotBefore, requireText } from './guards';

/**
 * D1/D3. The cumulative total is recomputed from the expenses that count at the cutoff, not
 * carried from the previous statement: an expense rejected after it was listed drops out of
 * every later cumulative, which is how the final statement shows the true consumption.
 */
export function drawUpStatement(command: DrawUpStatement, state: ConventionState): StatementDrawnUp[] {
  const convention = requireActive(state, 'D1', 'draw up a statement');
  const cutoff = requireDate(command.cutoff, 'cutoff');
  if (typeof command.final !== 'boolean') {
    throw invalid(ErrorCodes.MALFORMED_COMMAND, 'D1', 'final must be true or false.', { field: 'final' });
  }
  // A statement of expenses before the convention took effect could only ever be empty.
  requireNotBefore(cutoff, convention.effectiveOn!, 'cutoff', 'the date the convention took effect', 'D1');
  const previous = convention.statements.at(-1);
  if (previous?.final) requireCorrectiveFinal(convention, previous, command.final);
  if (previous && cutoff <= previous.cutoff) {
    throw refuse(ErrorCodes.CUTOFF_NOT_AFTER_PREVIOUS, 'D1',
      `The cutoff ${cutoff} must be after the cutoff of statement ${previous.number}, ${previous.cutoff}.`,
      { cutoff, previousCutoff: previous.cutoff });
  }

  const counted = acceptedPaidBy(convention, cutoff);
  const listed = counted.filter((e) => e.statement === undefined).sort(byPaymentDateThenId);
  const lines: StatementLine[] = listed.map((e) => ({
    expenseId: e.expenseId, category: e.category, description: e.description, amount: formatMoney(e.amount),
    committedOn: e.committedOn, serviceDoneOn: e.serviceDoneOn!, paidOn: e.paidOn!,
  }));
  return [event<StatementDrawnUp>('StatementDrawnUp', {
    number: convention.statements.length + 1,
    cutoff,
    final: command.final,
    lines,
    total: formatMoney(sum(listed.map((e) => e.amount))),
    cumulativeTotal: formatMoney(sum(counted.map((e) => e.amount))),
  })];
}

/**
 * D3: a final statement is the last one while it carries the whole consumption. Once an
 * expense is accepted or rejected after it, closure could never match it (C1), so a new final
 * statement, and only a final one, may follow it and supersede it.
 */
function requireCorrectiveFinal(convention: RegisteredConvention, final: StatementState, nextIsFinal: boolean): void {
  const consumedNow = consumed(convention);
  const details = { finalStatement: final.number, cumulativeTotal: formatMoney(final.cumulativeTotal), consumed: formatMoney(consumedNow) };
  if (final.cumulativeTotal.equals(consumedNow)) {
    throw refuse(ErrorCodes.FINAL_STATEMENT_ALREADY_DRAWN, 'D3',
      `Statement ${final.number} is final and carries the whole consumption, ${formatMoney(consumedNow)}; no statement can follow it.`, details);
  }
  if (!nextIsFinal) {
    throw refuse(ErrorCodes.FINAL_STATEMENT_ALREADY_DRAWN, 'D3',
      `Statement ${final.number} is final; it shows ${formatMoney(final.cumulativeTotal)} but ${formatMoney(consumedNow)} is consumed now, so only a new final statement can follow it.`,
      details);
  }
}

/**
 * F1/C1: a fund call or a closure relies on the latest statement: a later one supersedes it,
 * e.g. after an expense it listed was found misused (E3).
 */
export function requireLatestStatement(convention: RegisteredConvention, statement: StatementState, rule: string, doing: string): void {
  const latest = convention.statements.length;
  if (statement.number !== latest) {
    throw refuse(ErrorCodes.STATEMENT_NOT_LATEST, rule,
      `Cannot ${doing} on statement ${statement.number}: statement ${latest} supersedes it.`, { statement: statement.number, latest });
  }
}

const compareText = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
const byPaymentDateThenId = (a: ExpenseState, b: ExpenseState) =>
  compareText(a.paidOn!, b.paidOn!) || compareText(a.expenseId, b.expenseId);

/** D2: two signatures, one per role, by two different people. */
export function signStatement(command: SignStatement, state: ConventionState): StatementSigned[] {
  const convention = requireActive(state, 'D2', 'sign a statement');
  const statement = findStatement(convention, command.number);
  if (command.as !== 'authorizing-officer' && command.as !== 'public-accountant') {
    throw invalid(ErrorCodes.MALFORMED_COMMAND, 'D2', 'as must be "authorizing-officer" or "public-accountant".', { field: 'as' });
  }
  const signatory = requireText(command.signatory, 'signatory', 'D2');
  const subject = requireText(command.subject, 'subject', 'D2');
  const signedOn = requireDate(command.signedOn, 'signedOn');
  const sameRole = statement.signatures.find((s) => s.as === command.as);
  if (sameRole) {
    throw refuse(ErrorCodes.STATEMENT_ALREADY_SIGNED, 'D2',
      `Statement ${statement.number} is already signed as ${command.as} by ${sameRole.signatory} on ${sameRole.signedOn}.`,
      { number: statement.number, as: command.as });
  }
  if (statement.signatures.some((s) => s.subject === subject)) {
    throw refuse(ErrorCodes.SEPARATION_OF_DUTIES, 'D2',
      `Statement ${statement.number} is already signed by ${subject} in the other role; the authorizing officer and the public accountant must be two different people.`,
      { number: statement.number, subject });
  }
  requireNotBefore(signedOn, statement.cutoff, 'signedOn', `the cutoff of statement ${statement.number}`, 'D2');
  return [event<StatementSigned>('StatementSigned', { number: statement.number, as: command.as, signatory, subject, signedOn })];
}

export function findStatement(convention: RegisteredConvention, number: number): StatementState {
  const statement = statementOf(convention, number);
  if (!statement) throw notFound(ErrorCodes.STATEMENT_NOT_FOUND, `No statement ${number} on this convention.`, { statement: number });
  return statement;
}
