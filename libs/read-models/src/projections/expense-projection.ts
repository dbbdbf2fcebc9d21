import type { ExpensesTable } from '../database/read-model-tables';
import { expenseFactsOf } from '../queries/ledger-facts';
import type { ConventionState } from './convention-state';
import { moneyText } from './money-text';
import type { BatchWrites } from './batch-writes';
import type { ProjectionHandler } from './projection-context';

export const onExpenseCommitted: ProjectionHandler<'ExpenseCommitted'> = ({ state, writes, conventionId, data, recorded }) => {
  const expense: ExpensesTable = {
    convention_id: conventionId,
    expense_id: data.expenseId,
    category: data.category,
    description: data.description,
    contract: data.contract ?? null,
    amount: moneyText(data.amount),
    state: 'committed',
    committed_on: data.committedOn,
    payee_name: data.payee?.name ?? null,
    payee_siret: data.payee?.siret ?? null,
    commitment_number: data.commitmentNumber ?? null,
    service_done_on: null,
    invoice_number: null,
    invoice_issued_on: null,
    paid_on: null,
    payment_order: null,
    accepted_on: null,
    rejected_on: null,
    rejection_reason: null,
    rejected_at_step: null,
    recovery_order: null,
    position: recorded.position,
  };
  // An expense id taken twice fails at the flush (primary key), as its single INSERT did.
  writes.insert('rm_expenses', expense);
  if (!state.expenses.has(data.expenseId)) {
    state.expenses.set(data.expenseId, expense);
    state.expenseFacts.set(data.expenseId, expenseFactsOf(expense));
  }
};

/** A step of an expense already committed (an unknown one changes nothing, as an UPDATE of no row). */
function updateExpense(state: ConventionState, writes: BatchWrites, expenseId: string, changes: Partial<ExpensesTable>): void {
  const expense = state.expenses.get(expenseId);
  if (!expense) return;
  Object.assign(expense, changes);
  state.expenseFacts.set(expenseId, expenseFactsOf(expense, state.expenseFacts.get(expenseId)!.amount));
  writes.update('rm_expenses', expense);
}

export const onExpenseServiceDone: ProjectionHandler<'ExpenseServiceDone'> = ({ state, writes, data }) => {
  updateExpense(state, writes, data.expenseId, {
    state: 'service-done', service_done_on: data.on, invoice_number: data.invoice?.number ?? null, invoice_issued_on: data.invoice?.issuedOn ?? null,
  });
};

export const onExpensePaid: ProjectionHandler<'ExpensePaid'> = ({ state, writes, data }) => {
  updateExpense(state, writes, data.expenseId, { state: 'paid', paid_on: data.paidOn, payment_order: data.paymentOrder ?? null });
};

export const onExpenseAccepted: ProjectionHandler<'ExpenseAccepted'> = ({ state, writes, data }) => {
  updateExpense(state, writes, data.expenseId, { state: 'accepted', accepted_on: data.on });
};

export const onExpenseRejected: ProjectionHandler<'ExpenseRejected'> = ({ state, writes, data }) => {
  updateExpense(state, writes, data.expenseId, {
    state: 'rejected', rejected_on: data.on, rejection_reason: data.reason, rejected_at_step: data.atStep, recovery_order: data.recoveryOrder ?? null,
  });
};
