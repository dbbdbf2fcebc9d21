import {
  event, type ConventionSettled, type ExpenseAccepted, type ExpenseCommitted, type ExpensePaid, type ExpenseRejected, type ExpenseServiceDone,
} from '../events';
import { committed, consumed, type RegisteredConvention } from '../state';
import { acceptedExpense, activeSeed, eur, expense } from '../../testing/builders';
import { seedRegistration, seedSignatures } from '../../testing/seed-convention';
import { given, historyOf } from '../../testing/specification';

const withExpense = (dates: Parameters<typeof expense>[2], amount = '1000.00') => historyOf(expense('e1', amount, dates), activeSeed());
const commit = (overrides: Partial<{ expenseId: string; category: string; amount: string; committedOn: string; contract: string }> = {}) => ({
  type: 'CommitExpense' as const,
  expenseId: overrides.expenseId ?? 'e1',
  category: overrides.category ?? 'design',
  description: 'Maquettes du site',
  amount: eur(overrides.amount ?? '1000.00'),
  committedOn: overrides.committedOn ?? '2020-06-01',
  ...(overrides.contract ? { contract: overrides.contract } : {}),
});

describe('E1: recording expenses', () => {
  it('E1: commits an eligible expense while active', () => {
    given(activeSeed()).when(commit({ contract: 'UGAP 2020-12' })).then([event<ExpenseCommitted>('ExpenseCommitted', {
      expenseId: 'e1', category: 'design', description: 'Maquettes du site', amount: '1000.00', committedOn: '2020-06-01', contract: 'UGAP 2020-12',
    })]);
  });

  it('E1: refuses an expense on a draft convention (CONVENTION_NOT_ACTIVE)', () => {
    given(historyOf([seedRegistration()])).when(commit()).thenThrows('CONVENTION_NOT_ACTIVE');
  });

  it('E1: refuses a category outside the eligible list (CATEGORY_NOT_ELIGIBLE)', () => {
    const error = given(activeSeed()).when(commit({ category: 'catering' })).thenThrows('CATEGORY_NOT_ELIGIBLE', 'rule');
    expect(error.message).toContain('devops, design, deployment, coaching');
  });

  it('T4/E1: with no category list any category is eligible', () => {
    const open = historyOf([seedRegistration(undefined, { expenseCategories: [] }), ...seedSignatures()]);
    expect(given(open).when(commit({ category: 'catering' })).thenOutcome().events).toHaveLength(1);
  });

  it('E1: refuses an amount of zero (AMOUNT_NOT_POSITIVE)', () => {
    given(activeSeed()).when(commit({ amount: '0' })).thenThrows('AMOUNT_NOT_POSITIVE', 'invalid');
  });

  it('E1: refuses a duplicate expense id (EXPENSE_ALREADY_EXISTS)', () => {
    given(withExpense({ committedOn: '2020-06-01' })).when(commit()).thenThrows('EXPENSE_ALREADY_EXISTS');
  });

  it.each(['2020-05-10', '2021-05-12'])('E2: refuses a commitment on %s, outside the period (DATE_OUTSIDE_PERIOD)', (committedOn) => {
    given(activeSeed()).when(commit({ committedOn })).thenThrows('DATE_OUTSIDE_PERIOD');
  });

  it('E2/M3: the first and the last day of the period are inside it', () => {
    expect(given(activeSeed()).when(commit({ committedOn: '2020-05-11' })).thenOutcome().events).toHaveLength(1);
    expect(given(activeSeed()).when(commit({ committedOn: '2021-05-11' })).thenOutcome().events).toHaveLength(1);
  });
});

describe('E2: expense steps in order', () => {
  it('E2: records service done, payment and acceptance in order', () => {
    given(withExpense({ committedOn: '2020-06-01' })).when({ type: 'RecordServiceDone', expenseId: 'e1', on: '2020-07-01' })
      .then([event<ExpenseServiceDone>('ExpenseServiceDone', { expenseId: 'e1', on: '2020-07-01' })]);
    given(withExpense({ committedOn: '2020-06-01', serviceDoneOn: '2020-07-01' })).when({ type: 'RecordExpensePayment', expenseId: 'e1', paidOn: '2020-07-15' })
      .then([event<ExpensePaid>('ExpensePaid', { expenseId: 'e1', paidOn: '2020-07-15' })]);
    given(withExpense({ committedOn: '2020-06-01', serviceDoneOn: '2020-07-01', paidOn: '2020-07-15' })).when({ type: 'AcceptExpense', expenseId: 'e1', on: '2020-08-01' })
      .then([event<ExpenseAccepted>('ExpenseAccepted', { expenseId: 'e1', on: '2020-08-01' })]);
  });

  it('E2: refuses a payment before the service is done (EXPENSE_STEP_OUT_OF_ORDER)', () => {
    given(withExpense({ committedOn: '2020-06-01' })).when({ type: 'RecordExpensePayment', expenseId: 'e1', paidOn: '2020-07-15' })
      .thenThrows('EXPENSE_STEP_OUT_OF_ORDER');
  });

  it('E2: refuses acceptance before payment (EXPENSE_STEP_OUT_OF_ORDER)', () => {
    given(withExpense({ committedOn: '2020-06-01', serviceDoneOn: '2020-07-01' })).when({ type: 'AcceptExpense', expenseId: 'e1', on: '2020-07-15' })
      .thenThrows('EXPENSE_STEP_OUT_OF_ORDER');
  });

  it('E2: refuses recording a step twice (EXPENSE_STEP_OUT_OF_ORDER)', () => {
    given(withExpense({ committedOn: '2020-06-01', serviceDoneOn: '2020-07-01' })).when({ type: 'RecordServiceDone', expenseId: 'e1', on: '2020-07-02' })
      .thenThrows('EXPENSE_STEP_OUT_OF_ORDER');
  });

  it('E2: refuses a service date before the commitment (DATE_BEFORE_PREVIOUS_STEP)', () => {
    given(withExpense({ committedOn: '2020-06-01' })).when({ type: 'RecordServiceDone', expenseId: 'e1', on: '2020-05-31' })
      .thenThrows('DATE_BEFORE_PREVIOUS_STEP');
  });

  it('E2: refuses a payment date before the service (DATE_BEFORE_PREVIOUS_STEP)', () => {
    given(withExpense({ committedOn: '2020-06-01', serviceDoneOn: '2020-07-01' })).when({ type: 'RecordExpensePayment', expenseId: 'e1', paidOn: '2020-06-30' })
      .thenThrows('DATE_BEFORE_PREVIOUS_STEP');
  });

  it('E2: refuses an acceptance before the payment (DATE_BEFORE_PREVIOUS_STEP)', () => {
    given(withExpense({ committedOn: '2020-06-01', serviceDoneOn: '2020-07-01', paidOn: '2020-07-15' })).when({ type: 'AcceptExpense', expenseId: 'e1', on: '2020-07-14' })
      .thenThrows('DATE_BEFORE_PREVIOUS_STEP');
  });

  it('E2: refuses a service or a payment after the period end (DATE_OUTSIDE_PERIOD)', () => {
    given(withExpense({ committedOn: '2021-05-01' })).when({ type: 'RecordServiceDone', expenseId: 'e1', on: '2021-05-12' })
      .thenThrows('DATE_OUTSIDE_PERIOD');
    given(withExpense({ committedOn: '2021-05-01', serviceDoneOn: '2021-05-11' })).when({ type: 'RecordExpensePayment', expenseId: 'e1', paidOn: '2021-05-12' })
      .thenThrows('DATE_OUTSIDE_PERIOD');
  });

  it('E2: the accountant may accept after the period end', () => {
    given(withExpense({ committedOn: '2021-05-01', serviceDoneOn: '2021-05-10', paidOn: '2021-05-11' }))
      .when({ type: 'AcceptExpense', expenseId: 'e1', on: '2021-07-01' })
      .then([event<ExpenseAccepted>('ExpenseAccepted', { expenseId: 'e1', on: '2021-07-01' })]);
  });

  it('E2: refuses a step on an unknown expense (EXPENSE_NOT_FOUND, not-found)', () => {
    given(activeSeed()).when({ type: 'RecordServiceDone', expenseId: 'nope', on: '2020-07-01' }).thenThrows('EXPENSE_NOT_FOUND', 'not-found');
  });
});

describe('E3: rejection', () => {
  it('E3: rejects at any step, recording the step reached', () => {
    given(withExpense({ committedOn: '2020-06-01', serviceDoneOn: '2020-07-01' }))
      .when({ type: 'RejectExpense', expenseId: 'e1', on: '2020-07-02', reason: 'hors annexe 2' })
      .then([event<ExpenseRejected>('ExpenseRejected', { expenseId: 'e1', on: '2020-07-02', reason: 'hors annexe 2', atStep: 'service-done' })]);
  });

  it('E3: a rejection after acceptance recognises misused money: it leaves consumed', () => {
    const history = historyOf(acceptedExpense('e1', '5000.00', '2020-06-01'), activeSeed());
    const { events, state } = given(history).when({ type: 'RejectExpense', expenseId: 'e1', on: '2020-09-01', reason: 'usage non conforme' }).thenOutcome();
    expect(events[0].data).toMatchObject({ atStep: 'accepted' });
    expect(consumed(state as RegisteredConvention).toFixed(2)).toBe('0.00');
    expect(committed(state as RegisteredConvention).toFixed(2)).toBe('0.00');
  });

  it('E3: a rejected expense accepts no further step (EXPENSE_REJECTED)', () => {
    const history = historyOf([{ type: 'RejectExpense', expenseId: 'e1', on: '2020-06-02', reason: 'r' }], withExpense({ committedOn: '2020-06-01' }));
    given(history).when({ type: 'RecordServiceDone', expenseId: 'e1', on: '2020-07-01' }).thenThrows('EXPENSE_REJECTED');
    given(history).when({ type: 'RejectExpense', expenseId: 'e1', on: '2020-07-01', reason: 'again' }).thenThrows('EXPENSE_REJECTED');
  });

  it('E3: a rejection needs a reason (TEXT_REQUIRED)', () => {
    given(withExpense({ committedOn: '2020-06-01' })).when({ type: 'RejectExpense', expenseId: 'e1', on: '2020-06-02', reason: '  ' })
      .thenThrows('TEXT_REQUIRED', 'invalid');
  });

  it('E3: a rejection is not dated before the commitment (DATE_BEFORE_PREVIOUS_STEP)', () => {
    given(withExpense({ committedOn: '2020-06-01' })).when({ type: 'RejectExpense', expenseId: 'e1', on: '2020-05-31', reason: 'r' })
      .thenThrows('DATE_BEFORE_PREVIOUS_STEP');
  });

  it('E3: refuses rejecting an unknown expense (EXPENSE_NOT_FOUND)', () => {
    given(activeSeed()).when({ type: 'RejectExpense', expenseId: 'x', on: '2020-06-02', reason: 'r' }).thenThrows('EXPENSE_NOT_FOUND', 'not-found');
  });

  it('E3/X1: a rejection after termination lowers what is owed to the beneficiary and may settle', () => {
    // 800,000 received; 800,000 + 5,000 served by termination → 5,000 owed; rejecting the 5,000 settles.
    const history = historyOf([
      ...expense('a', '800000.00', { committedOn: '2020-06-01', serviceDoneOn: '2020-06-10' }),
      ...expense('b', '5000.00', { committedOn: '2020-06-01', serviceDoneOn: '2020-06-10' }),
      { type: 'PayTranche', paymentId: 'p1', tranche: 1, amount: eur('800000'), paidOn: '2020-05-20' },
      { type: 'TerminateConvention', on: '2020-07-01', reason: 'faute', atFault: 'beneficiary' },
    ], activeSeed());
    expect((history.at(-1)!.data as { owedToBeneficiary: string }).owedToBeneficiary).toBe('5000.00');
    const { events, state } = given(history).when({ type: 'RejectExpense', expenseId: 'b', on: '2020-07-15', reason: 'fictive' }).thenOutcome();
    expect(events).toEqual([
      event<ExpenseRejected>('ExpenseRejected', { expenseId: 'b', on: '2020-07-15', reason: 'fictive', atStep: 'service-done' }),
      event<ConventionSettled>('ConventionSettled', { on: '2020-07-15' }),
    ]);
    expect(state).toMatchObject({ status: 'settled' });
  });

  it('E3/X1: a rejection after termination raises the restitution due', () => {
    const history = historyOf([
      ...expense('a', '500000.00', { committedOn: '2020-06-01', serviceDoneOn: '2020-06-10' }),
      { type: 'PayTranche', paymentId: 'p1', tranche: 1, amount: eur('800000'), paidOn: '2020-05-20' },
      { type: 'TerminateConvention', on: '2020-07-01', reason: 'faute', atFault: 'beneficiary' },
    ], activeSeed());
    const { state } = given(history).when({ type: 'RejectExpense', expenseId: 'a', on: '2020-07-15', reason: 'fictive' }).thenOutcome();
    expect((state as RegisteredConvention).restitutionDue.toFixed(2)).toBe('800000.00');
  });

  it('E3: no rejection on a closed convention (CONVENTION_NOT_ACTIVE)', () => {
    const closed = historyOf([
      { type: 'PayTranche', paymentId: 'p1', tranche: 1, amount: eur('100'), paidOn: '2020-05-20' },
      { type: 'DrawUpStatement', cutoff: '2021-05-11', final: true },
      { type: 'SignStatement', number: 1, as: 'authorizing-officer', signatory: 'A', subject: 'a', signedOn: '2021-05-12' },
      { type: 'SignStatement', number: 1, as: 'public-accountant', signatory: 'B', subject: 'b', signedOn: '2021-05-12' },
      { type: 'CloseConvention', on: '2021-05-20', statement: 1 },
    ], withExpense({ committedOn: '2020-06-01' }));
    expect(closed.at(-1)!.type).toBe('ConventionClosed');
    given(closed).when({ type: 'RejectExpense', expenseId: 'e1', on: '2021-06-01', reason: 'r' }).thenThrows('CONVENTION_NOT_ACTIVE');
  });
});

describe('E4: committed expenses never exceed the ceiling', () => {
  it('E4: accepts a commitment up to the ceiling exactly', () => {
    const history = historyOf(expense('big', '1599999.99', { committedOn: '2020-06-01' }), activeSeed());
    expect(given(history).when(commit({ amount: '0.01' })).thenOutcome().events).toHaveLength(1);
  });

  it('E4: refuses a commitment beyond the ceiling (CEILING_EXCEEDED)', () => {
    const history = historyOf(expense('big', '1599999.99', { committedOn: '2020-06-01' }), activeSeed());
    given(history).when(commit({ amount: '0.02' })).thenThrows('CEILING_EXCEEDED', 'rule');
  });

  it('E4: rejected expenses free their share of the ceiling', () => {
    const history = historyOf([
      ...expense('big', '1600000.00', { committedOn: '2020-06-01' }),
      { type: 'RejectExpense', expenseId: 'big', on: '2020-06-02', reason: 'r' },
    ], activeSeed());
    expect(given(history).when(commit({ amount: '1600000.00' })).thenOutcome().events).toHaveLength(1);
  });
});
