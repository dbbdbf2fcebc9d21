import type { AcceptExpense, CommitExpense, RecordExpensePayment, RecordServiceDone, RejectExpense } from '../commands';
import type { BusinessDate } from '../dates';
import { ErrorCodes } from '../error-codes';
import { invalid, notFound, refuse } from '../errors';
import {
  type ConventionEvent, type ExpenseAccepted, type ExpenseCommitted, type ExpensePaid, type ExpenseRejected, type ExpenseServiceDone,
  type ExpenseStep, type Invoice, type Payee, event,
} from '../events';
import { formatMoney } from '../money';
import { verifySiret } from '../siret';
import { type ConventionState, type ExpenseState, type RegisteredConvention, figuresOf, termsInForceOn } from '../state';
import { commitmentDates, committedAsOf, firstCeilingBreach } from './ceiling';
import {
  type EffectiveConvention, optionalText, requireActive, requireAmount, requireDate, requireRegistered, requireStatus, requireText,
  requireWithinPeriod,
} from './guards';
import { withSettlement } from './settlement';

/** E1, E4. Only while active: after a termination no new commitment is accepted (X1). */
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
  const contract = optionalText(command.contract, 'contract', 'E1');
  const payee = readPayee(command.payee);
  const commitmentNumber = optionalText(command.commitmentNumber, 'commitmentNumber', 'E1');
  // A3: the categories in force on the commitment date.
  const eligible = termsInForceOn(convention, committedOn).expenseCategories;
  if (eligible.length > 0 && !eligible.includes(category)) {
    throw refuse(ErrorCodes.CATEGORY_NOT_ELIGIBLE, 'E1',
      `Category "${category}" is not eligible on ${committedOn}; eligible categories then: ${eligible.join(', ')}.`,
      { category, eligible: [...eligible], committedOn });
  }
  requireWithinPeriod(convention, committedOn, 'committedOn');
  const breach = firstCeilingBreach(convention, committedOn, amount, (t) => committedAsOf(convention, t), commitmentDates(convention));
  if (breach) {
    throw refuse(ErrorCodes.CEILING_EXCEEDED, 'E4',
      `Committing ${formatMoney(amount)} on ${committedOn} would bring committed expenses to ${formatMoney(breach.total)} on ${breach.date}, above the ceiling in force then, ${formatMoney(breach.ceiling)}.`,
      { amount: formatMoney(amount), date: breach.date, committed: formatMoney(breach.total.minus(amount)), ceiling: formatMoney(breach.ceiling) });
  }
  return [event<ExpenseCommitted>('ExpenseCommitted', {
    expenseId, category, description, amount: formatMoney(amount), committedOn,
    ...(contract !== undefined ? { contract } : {}),
    ...(payee !== undefined ? { payee } : {}),
    ...(commitmentNumber !== undefined ? { commitmentNumber } : {}),
  })];
}

export function recordServiceDone(command: RecordServiceDone, state: ConventionState): ExpenseServiceDone[] {
  const convention = requireOpenForSteps(state, 'record that a service was done');
  const expense = nextStep(convention, command.expenseId, 'committed', 'service-done');
  const on = requireDate(command.on, 'on');
  const invoice = readInvoice(command.invoice);
  requireWithinPeriod(convention, on, 'on');
  requireNotBeforeStep(on, expense.committedOn, 'commitment');
  return [event<ExpenseServiceDone>('ExpenseServiceDone', { expenseId: expense.expenseId, on, ...(invoice ? { invoice } : {}) })];
}

export function recordPayment(command: RecordExpensePayment, state: ConventionState): ExpensePaid[] {
  const convention = requireOpenForSteps(state, 'record an expense payment');
  const expense = nextStep(convention, command.expenseId, 'service-done', 'paid');
  const paidOn = requireDate(command.paidOn, 'paidOn');
  const paymentOrder = optionalText(command.paymentOrder, 'paymentOrder', 'E2');
  requireWithinPeriod(convention, paidOn, 'paidOn');
  requireNotBeforeStep(paidOn, expense.serviceDoneOn!, 'service done');
  return [event<ExpensePaid>('ExpensePaid', { expenseId: expense.expenseId, paidOn, ...(paymentOrder !== undefined ? { paymentOrder } : {}) })];
}

/**
 * E2: the accountant accepts after payment, possibly after the period has ended, so acceptance
 * is bounded by the payment date only.
 */
export function acceptExpense(command: AcceptExpense, state: ConventionState): ExpenseAccepted[] {
  const convention = requireOpenForSteps(state, 'accept an expense');
  const expense = nextStep(convention, command.expenseId, 'paid', 'accepted');
  const on = requireDate(command.on, 'on');
  requireNotBeforeStep(on, expense.paidOn!, 'payment');
  return [event<ExpenseAccepted>('ExpenseAccepted', { expenseId: expense.expenseId, on })];
}

/**
 * E3 (v2): at any step and in any status once in effect, closure, termination and settlement
 * included (misused money goes back; not claiming a right does not waive it). After the end the
 * figures are recomputed: the convention may become settled, or stop being so.
 */
export function rejectExpense(command: RejectExpense, state: ConventionState): ConventionEvent[] {
  const convention = requireStatus(state, ['active', 'closed', 'terminated', 'settled'], 'E3', 'reject an expense');
  const expense = findExpense(convention, command.expenseId);
  if (expense.rejection) throw alreadyRejected(expense);
  const reason = requireText(command.reason, 'reason', 'E3');
  const on = requireDate(command.on, 'on');
  const recoveryOrder = optionalText(command.recoveryOrder, 'recoveryOrder', 'E3');
  requireNotBeforeStep(on, expense.committedOn, 'commitment', 'E3');

  const rejected = event<ExpenseRejected>('ExpenseRejected', {
    expenseId: expense.expenseId, on, reason, atStep: expense.step, ...(recoveryOrder !== undefined ? { recoveryOrder } : {}),
  });
  return withSettlement(convention, [rejected], { on, expenseId: expense.expenseId });
}

/**
 * E2 and X1: steps are recorded while active and, after a termination, during the liquidation
 * (until a valid final statement exists), for expenses committed by the termination's effect.
 */
function requireOpenForSteps(state: ConventionState, doing: string): EffectiveConvention {
  const convention = requireRegistered(state);
  if (convention.status === 'terminated' && figuresOf(convention).provisional) return convention as EffectiveConvention;
  return requireActive(state, 'E2', doing);
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
  if (convention.termination && expense.committedOn > convention.termination.effectiveOn) {
    throw refuse(ErrorCodes.EXPENSE_NOT_IN_LIQUIDATION, 'X1',
      `Expense ${expenseId} was committed on ${expense.committedOn}, after the termination took effect (${convention.termination.effectiveOn}); only expenses committed before it are liquidated.`,
      { expenseId, committedOn: expense.committedOn, effectiveOn: convention.termination.effectiveOn });
  }
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

function requireNotBeforeStep(date: BusinessDate, previous: BusinessDate, previousStep: string, rule = 'E2'): void {
  if (date < previous) {
    throw refuse(ErrorCodes.DATE_BEFORE_PREVIOUS_STEP, rule,
      `${date} is before the ${previousStep} date, ${previous}.`, { date, previous, previousStep });
  }
}

/** E1 (v2): the payee's name, and its SIRET when given. */
function readPayee(payee: unknown): Payee | undefined {
  if (payee === undefined || payee === null) return undefined;
  if (typeof payee !== 'object') throw invalid(ErrorCodes.MALFORMED_COMMAND, 'E1', 'payee must be {name, siret?}.', { field: 'payee' });
  const { name, siret } = payee as Partial<Payee>;
  return { name: requireText(name, 'payee.name', 'E1'), ...(siret !== undefined ? { siret: verifySiret(siret, 'payee.siret') } : {}) };
}

/** E2 (v2): the invoice of a service done. */
function readInvoice(invoice: unknown): Invoice | undefined {
  if (invoice === undefined || invoice === null) return undefined;
  if (typeof invoice !== 'object') throw invalid(ErrorCodes.MALFORMED_COMMAND, 'E2', 'invoice must be {number, issuedOn}.', { field: 'invoice' });
  const { number, issuedOn } = invoice as Partial<Invoice>;
  return { number: requireText(number, 'invoice.number', 'E2'), issuedOn: requireDate(issuedOn, 'invoice.issuedOn') };
}
