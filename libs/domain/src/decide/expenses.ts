import type { AcceptExpense, CommitExpense, RecordExpensePayment, RecordServiceDone, RejectExpense } from '../commands';
import type { BusinessDate } from '../dates';
import { ErrorCodes } from '../error-codes';
import { notFound, refuse } from '../errors';
import {
  type ConventionEvent, type ConventionSettled, type ExpenseAccepted, type ExpenseCommitted, type ExpensePaid,
  type ExpenseRejected, type ExpenseServiceDone, type ExpenseStep, event,
} from '../events';
import { evolve } from '../evolve';
import { formatMoney } from '../money';
import { type ConventionState, type ExpenseState, type RegisteredConvention, committed, isNothingOwedEitherWay } from '../state';
import { settlementDate } from './settlement';
import { type EffectiveConvention, requireActive, requireAmount, requireDate, requireStatus, requireText } from './guards';

export function commitExpense(command: CommitExpense, state: ConventionState): ExpenseCommitted[] {
  const convention = requireActive(state, 'E1', 'record an expense');
  const expenseId = requireText(command.expenseId, 'expenseId', 'E1');
  if (convention.expenses.has(expenseId)) {
    throw refuse(ErrorCodes.EXPENSE_ALREADY_EXISTS, 'E1', `Expense ${expenseId} is already recorded.`, { expenseId });
  }
  const amount = requireAmount(command.amount, 'amount', 'E1');
  const category = requireText(command.category, 'category', 'E1');
  const description = requireText(command.description, 'description', 'E1');
  const committedOn = requireDate(command.committedOn, 'committedOn');
  if (convention.expenseCategories.length > 0 && !convention.expenseCategories.includes(category)) {
    throw refuse(ErrorCodes.CATEGORY_NOT_ELIGIBLE, 'E1',
      `Category "${category}" is not eligible; eligible categories: ${convention.expenseCategories.join(', ')}.`,
      { category, eligible: [...convention.expenseCategories] });
  }
  requireWithinPeriod(convention, committedOn, 'committedOn');
  const after = committed(convention).plus(amount);
  if (after.greaterThan(convention.ceiling)) {
    throw refuse(ErrorCodes.CEILING_EXCEEDED, 'E4',
      `Committing ${formatMoney(amount)} would bring committed expenses to ${formatMoney(after)}, above the ceiling ${formatMoney(convention.ceiling)}.`,
      { amount: formatMoney(amount), committed: formatMoney(committed(convention)), ceiling: formatMoney(convention.ceiling) });
  }
  return [event<ExpenseCommitted>('ExpenseCommitted', {
    expenseId, category, description, amount: formatMoney(amount), committedOn,
    ...(command.contract !== undefined && command.contract !== '' ? { contract: command.contract } : {}),
  })];
}

export function recordServiceDone(command: RecordServiceDone, state: ConventionState): ExpenseServiceDone[] {
  const convention = requireActive(state, 'E2', 'record that a service was done');
  const expense = nextStep(convention, command.expenseId, 'committed', 'service-done');
  const on = requireDate(command.on, 'on');
  requireWithinPeriod(convention, on, 'on');
  requireNotBeforeStep(on, expense.committedOn, 'commitment');
  return [event<ExpenseServiceDone>('ExpenseServiceDone', { expenseId: expense.expenseId, on })];
}

export function recordPayment(command: RecordExpensePayment, state: ConventionState): ExpensePaid[] {
  const convention = requireActive(state, 'E2', 'record an expense payment');
  const expense = nextStep(convention, command.expenseId, 'service-done', 'paid');
  const paidOn = requireDate(command.paidOn, 'paidOn');
  requireWithinPeriod(convention, paidOn, 'paidOn');
  requireNotBeforeStep(paidOn, expense.serviceDoneOn!, 'service done');
  return [event<ExpensePaid>('ExpensePaid', { expenseId: expense.expenseId, paidOn })];
}

/**
 * E2: the accountant accepts after payment, possibly after the period has ended, so acceptance
 * is bounded by the payment date only.
 */
export function acceptExpense(command: AcceptExpense, state: ConventionState): ExpenseAccepted[] {
  const convention = requireActive(state, 'E2', 'accept an expense');
  const expense = nextStep(convention, command.expenseId, 'paid', 'accepted');
  const on = requireDate(command.on, 'on');
  requireNotBeforeStep(on, expense.paidOn!, 'payment');
  return [event<ExpenseAccepted>('ExpenseAccepted', { expenseId: expense.expenseId, on })];
}

/**
 * E3: allowed while active, and after a termination until settlement, because misuse found
 * then must still lower the funder's participation (X1).
 */
export function rejectExpense(command: RejectExpense, state: ConventionState): ConventionEvent[] {
  const convention = requireStatus(state, ['active', 'terminated'], 'E3', 'reject an expense');
  const expense = findExpense(convention, command.expenseId);
  if (expense.rejection) throw alreadyRejected(expense);
  const reason = requireText(command.reason, 'reason', 'E3');
  const on = requireDate(command.on, 'on');
  requireNotBeforeStep(on, expense.committedOn, 'commitment', 'E3');

  const rejected = event<ExpenseRejected>('ExpenseRejected', { expenseId: expense.expenseId, on, reason, atStep: expense.step });
  if (convention.status !== 'terminated') return [rejected];
  // A rejection can bring what is owed to the beneficiary down to exactly what was received.
  const after = evolve(convention, rejected) as RegisteredConvention;
  return isNothingOwedEitherWay(after) ? [rejected, event<ConventionSettled>('ConventionSettled', { on: settlementDate(after) })] : [rejected];
}

function findExpense(convention: RegisteredConvention, expenseId: string): ExpenseState {
  const expense = typeof expenseId === 'string' ? convention.expenses.get(expenseId) : undefined;
  if (!expense) throw notFound(ErrorCodes.EXPENSE_NOT_FOUND, `No expense ${expenseId} on this convention.`, { expenseId });
  return expense;
}

const STEP_ORDER: readonly ExpenseStep[] = ['committed', 'service-done', 'paid', 'accepted'];

function nextStep(convention: RegisteredConvention, expenseId: string, expected: ExpenseStep, next: ExpenseStep): ExpenseState {
  const expense = findExpense(convention, expenseId);
  if (expense.rejection) throw alreadyRejected(expense);
  if (expense.step !== expected) {
    const done = STEP_ORDER.indexOf(expense.step) >= STEP_ORDER.indexOf(next);
    throw refuse(ErrorCodes.EXPENSE_STEP_OUT_OF_ORDER, 'E2',
      done
        ? `Expense ${expenseId} is already at step "${expense.step}"; step "${next}" cannot be recorded again.`
        : `Expense ${expenseId} is at step "${expense.step}"; step "${next}" needs step "${expected}" first.`,
      { expenseId, step: expense.step, requested: next });
  }
  return expense;
}

function alreadyRejected(expense: ExpenseState) {
  return refuse(ErrorCodes.EXPENSE_REJECTED, 'E3',
    `Expense ${expense.expenseId} was rejected on ${expense.rejection!.on} (${expense.rejection!.reason}); it accepts no further step.`,
    { expenseId: expense.expenseId });
}

function requireWithinPeriod(convention: EffectiveConvention, date: BusinessDate, field: string): void {
  if (date < convention.effectiveOn || date > convention.endsOn) {
    throw refuse(ErrorCodes.DATE_OUTSIDE_PERIOD, 'E2',
      `${field} ${date} is outside the period of effect, ${convention.effectiveOn} to ${convention.endsOn}.`,
      { field, date, effectiveOn: convention.effectiveOn, endsOn: convention.endsOn });
  }
}

function requireNotBeforeStep(date: BusinessDate, previous: BusinessDate, previousStep: string, rule = 'E2'): void {
  if (date < previous) {
    throw refuse(ErrorCodes.DATE_BEFORE_PREVIOUS_STEP, rule,
      `${date} is before the ${previousStep} date, ${previous}.`, { date, previous, previousStep });
  }
}
