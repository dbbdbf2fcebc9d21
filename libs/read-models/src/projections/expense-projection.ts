import { moneyText } from './money-text';
import type { ProjectionHandler, ReadModelTx } from './projection-context';
import type { ExpensesTable } from '../database/read-model-tables';

export const onExpenseCommitted: ProjectionHandler<'ExpenseCommitted'> = async ({ tx, conventionId, data, recorded }) => {
  await tx.insertInto('rm_expenses').values({
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
  }).execute();
};

const updateExpense = (tx: ReadModelTx, conventionId: string, expenseId: string, changes: Partial<ExpensesTable>) =>
  tx.updateTable('rm_expenses').set(changes)
    .where('convention_id', '=', conventionId).where('expense_id', '=', expenseId).execute();

export const onExpenseServiceDone: ProjectionHandler<'ExpenseServiceDone'> = async ({ tx, conventionId, data }) => {
  await updateExpense(tx, conventionId, data.expenseId, {
    state: 'service-done', service_done_on: data.on, invoice_number: data.invoice?.number ?? null, invoice_issued_on: data.invoice?.issuedOn ?? null,
  });
};

export const onExpensePaid: ProjectionHandler<'ExpensePaid'> = async ({ tx, conventionId, data }) => {
  await updateExpense(tx, conventionId, data.expenseId, { state: 'paid', paid_on: data.paidOn, payment_order: data.paymentOrder ?? null });
};

export const onExpenseAccepted: ProjectionHandler<'ExpenseAccepted'> = async ({ tx, conventionId, data }) => {
  await updateExpense(tx, conventionId, data.expenseId, { state: 'accepted', accepted_on: data.on });
};

export const onExpenseRejected: ProjectionHandler<'ExpenseRejected'> = async ({ tx, conventionId, data }) => {
  await updateExpense(tx, conventionId, data.expenseId, {
    state: 'rejected', rejected_on: data.on, rejection_reason: data.reason, rejected_at_step: data.atStep, recovery_order: data.recoveryOrder ?? null,
  });
};
