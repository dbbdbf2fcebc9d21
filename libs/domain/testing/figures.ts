import { type Money, sum } from '../src/money';
import type { ExpenseState, RegisteredConvention } from '../src/state';

/**
 * Expense figures that only the specs need (the balance read model computes its own): the
 * domain state's side of the comparison. Rejected expenses never count (E3), except in `rejected`.
 */
const total = (expenses: ExpenseState[]): Money => sum(expenses.map((e) => e.amount));
const live = (state: RegisteredConvention) => [...state.expenses.values()].filter((e) => !e.rejection);

export const serviceDone = (state: RegisteredConvention): Money => total(live(state).filter((e) => e.serviceDoneOn !== undefined));

export const paidExpenses = (state: RegisteredConvention): Money => total(live(state).filter((e) => e.paidOn !== undefined));

export const rejected = (state: RegisteredConvention): Money => total([...state.expenses.values()].filter((e) => e.rejection));
