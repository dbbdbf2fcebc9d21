import type { DrawUpStatement, SignStatement } from '../commands';
import { ErrorCodes } from '../error-codes';
import { invalid, notFound, refuse } from '../errors';
import { type ConventionEvent, type StatementCorrection, type StatementDrawnUp, type StatementLine, type StatementSigned, event } from '../events';
import { ZERO, formatMoney, sum } from '../money';
import {
  type ConventionState, type ExpenseState, type RegisteredConvention, type StatementState, consumed, figuresOf, statementOf,
} from '../state';
import { type EffectiveConvention, requireActive, requireDate, requireNotBefore, requireRegistered, requireText, requireWithinPeriod } from './guards';
import { withSettlement } from './settlement';

/**
 * D1/D3 (v2). A statement is drawn up on a day (drawnUpOn ≥ cutoff) and lists, as known that
 * day, the accepted expenses paid by the cutoff that no earlier statement listed; an expense
 * listed earlier and rejected since comes back as a correction line (negative). So every
 * cumulative total is the sum of all lines and corrections so far, and equals the consumption
 * at the cutoff as known when the statement was drawn up.
 */
export function drawUpStatement(command: DrawUpStatement, state: ConventionState): StatementDrawnUp[] {
  const convention = requireOpenForStatements(state, 'draw up a statement');
  const cutoff = requireDate(command.cutoff, 'cutoff');
  const drawnUpOn = command.drawnUpOn === undefined ? cutoff : requireDate(command.drawnUpOn, 'drawnUpOn');
  if (typeof command.final !== 'boolean') {
    throw invalid(ErrorCodes.MALFORMED_COMMAND, 'D1', 'final must be true or false.', { field: 'final' });
  }
  // A statement of expenses before the convention took effect could only ever be empty.
  requireNotBefore(cutoff, convention.effectiveOn, 'cutoff', 'the date the convention took effect', 'D1');
  requireWithinPeriod(convention, cutoff, 'cutoff', 'D1');
  requireNotBefore(drawnUpOn, cutoff, 'drawnUpOn', 'the cutoff: a statement is drawn up once its period is over', 'D1');
  const previous = convention.statements.at(-1);
  if (previous?.final) requireCorrectiveFinal(convention, previous, command.final);
  if (previous && cutoff <= previous.cutoff) {
    throw refuse(ErrorCodes.CUTOFF_NOT_AFTER_PREVIOUS, 'D1',
      `The cutoff ${cutoff} must be after the cutoff of statement ${previous.number}, ${previous.cutoff}.`,
      { cutoff, previousCutoff: previous.cutoff });
  }
  if (previous) requireNotBefore(drawnUpOn, previous.drawnUpOn, 'drawnUpOn', `the day statement ${previous.number} was drawn up`, 'D1');

  const rejectedBy = (e: ExpenseState) => e.rejection !== undefined && e.rejection.on <= drawnUpOn;
  const listed = [...convention.expenses.values()]
    .filter((e) => e.statement === undefined && !rejectedBy(e) && e.acceptedOn !== undefined && e.acceptedOn <= drawnUpOn && e.paidOn! <= cutoff)
    .sort(byPaymentDateThenId);
  const corrected = [...convention.expenses.values()]
    .filter((e) => e.statement !== undefined && e.correctedIn === undefined && rejectedBy(e))
    .sort((a, b) => compareText(a.rejection!.on, b.rejection!.on) || compareText(a.expenseId, b.expenseId));
  const lines = listed.map(lineOf);
  const corrections: StatementCorrection[] = corrected.map((e) => ({
    expenseId: e.expenseId, amount: formatMoney(e.amount.negated()), listedOn: e.statement!, rejectedOn: e.rejection!.on, reason: e.rejection!.reason,
  }));
  const total = sum(listed.map((e) => e.amount));
  const previousCumulativeTotal = previous?.cumulativeTotal ?? ZERO;
  const cumulativeTotal = previousCumulativeTotal.plus(total).minus(sum(corrected.map((e) => e.amount)));
  return [event<StatementDrawnUp>('StatementDrawnUp', {
    number: convention.statements.length + 1,
    cutoff,
    drawnUpOn,
    final: command.final,
    lines,
    corrections,
    total: formatMoney(total),
    previousCumulativeTotal: formatMoney(previousCumulativeTotal),
    cumulativeTotal: formatMoney(cumulativeTotal),
  })];
}

function lineOf(e: ExpenseState): StatementLine {
  return {
    expenseId: e.expenseId, category: e.category, description: e.description, amount: formatMoney(e.amount),
    committedOn: e.committedOn, serviceDoneOn: e.serviceDoneOn!, paidOn: e.paidOn!,
    ...(e.contract !== undefined ? { contract: e.contract } : {}),
    ...(e.payee !== undefined ? { payee: e.payee } : {}),
    ...(e.commitmentNumber !== undefined ? { commitmentNumber: e.commitmentNumber } : {}),
    ...(e.invoice !== undefined ? { invoice: e.invoice } : {}),
    ...(e.paymentOrder !== undefined ? { paymentOrder: e.paymentOrder } : {}),
  };
}

/** D1 and X1: statements are drawn up and signed while active, and during a termination's liquidation. */
function requireOpenForStatements(state: ConventionState, doing: string): EffectiveConvention {
  const convention = requireRegistered(state);
  if (convention.status === 'terminated' && figuresOf(convention).provisional) return convention as EffectiveConvention;
  return requireActive(state, 'D1', doing);
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

/**
 * D2 (v2): two people: neither the same authenticated subject nor the same name, however written.
 * Names compare on their letters and digits only: accents, ligatures, case, spaces and every
 * punctuation mark are ignored ("Agnès Ordonnatrice", "AGNES ORDONNATRICE.", "Agnes-Ordonnatrice").
 */
export const personName = (name: string) =>
  name.normalize('NFKD').replace(/\p{M}/gu, '').toLowerCase()
    .replace(/œ/g, 'oe').replace(/æ/g, 'ae').replace(/ß/g, 'ss')
    .replace(/[^\p{L}\p{N}]+/gu, '');

/** D2: two signatures, one per role, by two different people. A final statement's signature may end X1's liquidation. */
export function signStatement(command: SignStatement, state: ConventionState): ConventionEvent[] {
  const convention = requireOpenForStatements(state, 'sign a statement');
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
  const samePerson = statement.signatures.find((s) => s.subject === subject || personName(s.signatory) === personName(signatory));
  if (samePerson) {
    throw refuse(ErrorCodes.SEPARATION_OF_DUTIES, 'D2',
      `Statement ${statement.number} is already signed in the other role by ${samePerson.signatory} (${samePerson.subject}); the authorizing officer and the public accountant must be two different people.`,
      { number: statement.number, subject, signatory });
  }
  requireNotBefore(signedOn, statement.drawnUpOn, 'signedOn', `the day statement ${statement.number} was drawn up`, 'D2');
  const signed = event<StatementSigned>('StatementSigned', { number: statement.number, as: command.as, signatory, subject, signedOn });
  return withSettlement(convention, [signed]);
}

export function findStatement(convention: RegisteredConvention, number: number): StatementState {
  const statement = statementOf(convention, number);
  if (!statement) throw notFound(ErrorCodes.STATEMENT_NOT_FOUND, `No statement ${number} on this convention.`, { statement: number });
  return statement;
}
