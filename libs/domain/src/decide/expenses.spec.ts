import {
  event, type ConventionSettled, type ExpenseAccepted, type ExpenseCommitted, type ExpensePaid, type ExpenseRejected, type ExpenseServiceDone,
} from '../events';
import { committed, consumed, figuresOf, type RegisteredConvention } from '../state';
import {
  acceptedExpense, activeSeed, amendment, closure, eur, expense, rejection, signedStatement, termination,
} from '../../testing/builders';
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

describe('E1 (v2): payee, SIRET and commitment number', () => {
  const withPayee = (payee: unknown) => ({ ...commit(), payee } as ReturnType<typeof commit>);

  it('E1: records who is paid, with a SIRET whose Luhn key verifies, and the legal commitment number', () => {
    given(activeSeed()).when({ ...commit(), payee: { name: 'ANCT', siret: '13002603200016' }, commitmentNumber: 'EJ-2020-0042' }).then([
      event<ExpenseCommitted>('ExpenseCommitted', {
        expenseId: 'e1', category: 'design', description: 'Maquettes du site', amount: '1000.00', committedOn: '2020-06-01',
        payee: { name: 'ANCT', siret: '13002603200016' }, commitmentNumber: 'EJ-2020-0042',
      }),
    ]);
  });

  it('E1: a payee without SIRET is recorded by name only; unknown payee fields are not recorded', () => {
    const { events } = given(activeSeed()).when(withPayee({ name: 'Atelier Dupont', iban: 'FR76...' })).thenOutcome();
    expect((events[0] as ExpenseCommitted).data.payee).toEqual({ name: 'Atelier Dupont' });
  });

  it.each(['13002603200017', '1300260320001', '130026032000160', '1300260320001A', '', 13002603200016])(
    'E1: refuses the SIRET %p (INVALID_SIRET, invalid)', (siret) => {
      const error = given(activeSeed()).when(withPayee({ name: 'ANCT', siret })).thenThrows('INVALID_SIRET', 'invalid');
      expect(error).toMatchObject({ rule: 'E1', details: { field: 'payee.siret' } });
    });

  it.each(['35600000000048', '35600000000010', '35600000000015'])('E1: La Poste: %s is accepted (its establishments follow their own key)', (siret) => {
    expect(given(activeSeed()).when(withPayee({ name: 'La Poste', siret })).thenOutcome().events).toHaveLength(1);
  });

  it('E1: La Poste establishments other than the head office are held to their own key, not Luhn (INVALID_SIRET)', () => {
    // 35600000000014 passes Luhn but its digit sum (18) is no multiple of 5.
    given(activeSeed()).when(withPayee({ name: 'La Poste', siret: '35600000000014' })).thenThrows('INVALID_SIRET');
  });

  it('E1: a payee needs a name (TEXT_REQUIRED); a payee that is no object is malformed (MALFORMED_COMMAND)', () => {
    given(activeSeed()).when(withPayee({ siret: '13002603200016' })).thenThrows('TEXT_REQUIRED', 'invalid');
    given(activeSeed()).when(withPayee('ANCT')).thenThrows('MALFORMED_COMMAND', 'invalid');
  });

  it('E1: a commitment number, when given, is not blank (TEXT_REQUIRED)', () => {
    given(activeSeed()).when({ ...commit(), commitmentNumber: '   ' }).thenThrows('TEXT_REQUIRED', 'invalid');
  });

  it('E1/A3 (v2): the category must be eligible under the terms in force on the commitment date', () => {
    const history = historyOf([amendment({ expenseCategories: ['devops'] }, '2020-09-01')], activeSeed());
    expect(given(history).when(commit({ category: 'design', committedOn: '2020-08-31' })).thenOutcome().events).toHaveLength(1);
    const error = given(history).when(commit({ category: 'design', committedOn: '2020-09-01' })).thenThrows('CATEGORY_NOT_ELIGIBLE', 'rule');
    expect(error.details).toEqual({ category: 'design', eligible: ['devops'], committedOn: '2020-09-01' });
  });
});

describe('E2 (v2): invoice and payment order', () => {
  it('E2: the service done may carry its invoice, the payment its payment order (mandat)', () => {
    given(withExpense({ committedOn: '2020-06-01' }))
      .when({ type: 'RecordServiceDone', expenseId: 'e1', on: '2020-07-01', invoice: { number: 'FAC-2020-118', issuedOn: '2020-07-02' } })
      .then([event<ExpenseServiceDone>('ExpenseServiceDone', { expenseId: 'e1', on: '2020-07-01', invoice: { number: 'FAC-2020-118', issuedOn: '2020-07-02' } })]);
    given(withExpense({ committedOn: '2020-06-01', serviceDoneOn: '2020-07-01' }))
      .when({ type: 'RecordExpensePayment', expenseId: 'e1', paidOn: '2020-07-15', paymentOrder: 'MDT-2020-311' })
      .then([event<ExpensePaid>('ExpensePaid', { expenseId: 'e1', paidOn: '2020-07-15', paymentOrder: 'MDT-2020-311' })]);
  });

  it('E2: an invoice needs a number (TEXT_REQUIRED) and a calendar date (INVALID_DATE)', () => {
    const history = withExpense({ committedOn: '2020-06-01' });
    given(history).when({ type: 'RecordServiceDone', expenseId: 'e1', on: '2020-07-01', invoice: { number: '', issuedOn: '2020-07-02' } })
      .thenThrows('TEXT_REQUIRED', 'invalid');
    given(history).when({ type: 'RecordServiceDone', expenseId: 'e1', on: '2020-07-01', invoice: { number: 'F', issuedOn: '2020-02-30' } })
      .thenThrows('INVALID_DATE', 'invalid');
  });

  it('E2: a payment order, when given, is not blank (TEXT_REQUIRED)', () => {
    given(withExpense({ committedOn: '2020-06-01', serviceDoneOn: '2020-07-01' }))
      .when({ type: 'RecordExpensePayment', expenseId: 'e1', paidOn: '2020-07-15', paymentOrder: ' ' }).thenThrows('TEXT_REQUIRED', 'invalid');
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
    // 800,000 received; 805,000 accepted and served by the termination → 5,000 owed; rejecting the 5,000 settles.
    const history = historyOf([
      ...acceptedExpense('a', '800000.00', '2020-06-10'),
      ...acceptedExpense('b', '5000.00', '2020-06-10'),
      { type: 'PayTranche', paymentId: 'p1', tranche: 1, amount: eur('800000'), paidOn: '2020-05-20' },
      termination('2020-07-01'),
      ...signedStatement(1, '2020-06-30', true, '2020-07-02', '2020-07-01'),
    ], activeSeed());
    expect(history.find((e) => e.type === 'ConventionTerminated')!.data).toMatchObject({ owedToBeneficiary: '5000.00' });
    const { events, state } = given(history).when({ type: 'RejectExpense', expenseId: 'b', on: '2020-07-15', reason: 'fictive' }).thenOutcome();
    expect(events).toEqual([
      event<ExpenseRejected>('ExpenseRejected', { expenseId: 'b', on: '2020-07-15', reason: 'fictive', atStep: 'accepted' }),
      event<ConventionSettled>('ConventionSettled', { on: '2020-07-15' }),
    ]);
    expect(state).toMatchObject({ status: 'settled' });
  });

  it('E3/X1: a rejection after termination raises the restitution due', () => {
    const history = historyOf([
      ...acceptedExpense('a', '500000.00', '2020-06-10'),
      { type: 'PayTranche', paymentId: 'p1', tranche: 1, amount: eur('800000'), paidOn: '2020-05-20' },
      termination('2020-07-01'),
    ], activeSeed());
    const { state } = given(history).when({ type: 'RejectExpense', expenseId: 'a', on: '2020-07-15', reason: 'fictive' }).thenOutcome();
    expect(figuresOf(state as RegisteredConvention).restitution.due.toFixed(2)).toBe('800000.00');
  });

  it('E3 (v2): a rejection is recorded on a closed convention too, with its recovery order', () => {
    const closed = historyOf([
      { type: 'PayTranche', paymentId: 'p1', tranche: 1, amount: eur('100'), paidOn: '2020-05-20' },
      { type: 'DrawUpStatement', cutoff: '2021-05-11', final: true },
      { type: 'SignStatement', number: 1, as: 'authorizing-officer', signatory: 'A', subject: 'a', signedOn: '2021-05-12' },
      { type: 'SignStatement', number: 1, as: 'public-accountant', signatory: 'B', subject: 'b', signedOn: '2021-05-12' },
      closure('2021-05-20'),
    ], withExpense({ committedOn: '2020-06-01' }));
    expect(closed.at(-1)!.type).toBe('ConventionClosed');
    given(closed).when(rejection('e1', '2021-06-01', 'r', 'TP-1')).then([
      event<ExpenseRejected>('ExpenseRejected', { expenseId: 'e1', on: '2021-06-01', reason: 'r', atStep: 'committed', recoveryOrder: 'TP-1' }),
    ]);
  });

  it('E3: a recovery order, when given, is not blank (TEXT_REQUIRED)', () => {
    given(withExpense({ committedOn: '2020-06-01' })).when(rejection('e1', '2020-06-02', 'r', '  ')).thenThrows('TEXT_REQUIRED', 'invalid');
  });

  it('E3: no rejection on a draft (CONVENTION_NOT_ACTIVE)', () => {
    given(historyOf([seedRegistration()])).when(rejection('e1', '2020-06-02')).thenThrows('CONVENTION_NOT_ACTIVE');
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

  it('E4 (v2): a rejected expense frees its share of the ceiling from its rejection date on (CEILING_EXCEEDED before it)', () => {
    const history = historyOf([
      ...expense('big', '1600000.00', { committedOn: '2020-06-01' }),
      { type: 'RejectExpense', expenseId: 'big', on: '2020-06-02', reason: 'r' },
    ], activeSeed());
    expect(given(history).when(commit({ amount: '1600000.00', committedOn: '2020-06-02' })).thenOutcome().events).toHaveLength(1);
    const error = given(history).when(commit({ amount: '1600000.00', committedOn: '2020-06-01' })).thenThrows('CEILING_EXCEEDED');
    expect(error.details).toMatchObject({ date: '2020-06-01', committed: '1600000.00', ceiling: '1600000.00' });
  });

  it('E4/A3 (v2): an amendment dated 2020-12-01 raising the ceiling to 2,000,000.00 does not let a commitment dated 2020-06-01 take the committed total above 1,600,000.00', () => {
    const history = historyOf([
      ...expense('e0', '1200000.00', { committedOn: '2020-06-01' }),
      amendment({ ceiling: eur('2000000'), tranches: [
        { amount: eur('400000'), release: { on: 'consumption', threshold: eur('600000') } },
        { amount: eur('800000'), release: { on: 'consumption', threshold: eur('1000000') } },
      ] }, '2020-12-01'),
    ], activeSeed());
    const error = given(history).when(commit({ expenseId: 'e1', amount: '500000.00', committedOn: '2020-06-01' })).thenThrows('CEILING_EXCEEDED', 'rule');
    expect(error.rule).toBe('E4');
    expect(error.details).toEqual({ amount: '500000.00', date: '2020-06-01', committed: '1200000.00', ceiling: '1600000.00' });
    given(history).when(commit({ expenseId: 'e1', amount: '500000.00', committedOn: '2020-11-30' })).thenThrows('CEILING_EXCEEDED');
    const { state } = given(history).when(commit({ expenseId: 'e1', amount: '500000.00', committedOn: '2020-12-01' })).thenOutcome();
    const asOf = figuresOf(state as RegisteredConvention, '2020-06-30');
    expect([asOf.committed.toFixed(2), asOf.ceiling.toFixed(2)]).toEqual(['1200000.00', '1600000.00']);
    expect(figuresOf(state as RegisteredConvention).committed.toFixed(2)).toBe('1700000.00');
    const accepted = historyOf([commit({ expenseId: 'e1', amount: '400000.00', committedOn: '2020-06-01' })], history);
    expect(figuresOf(given(accepted).when(commit({ expenseId: 'e2', amount: '1.00', committedOn: '2020-12-01' })).thenOutcome().state as RegisteredConvention, '2020-06-30')
      .committed.toFixed(2)).toBe('1600000.00');
  });

  it('E4 (v2): a commitment is checked on later dates too: with commitments dated after it, and against a ceiling lowered later', () => {
    const later = historyOf(expense('late', '1000000.00', { committedOn: '2020-09-01' }), activeSeed());
    const error = given(later).when(commit({ amount: '700000.00', committedOn: '2020-06-01' })).thenThrows('CEILING_EXCEEDED');
    expect(error.details).toMatchObject({ date: '2020-09-01', committed: '1000000.00', ceiling: '1600000.00' });
    const lowered = historyOf([amendment({ ceiling: eur('1000000'), tranches: [{ amount: eur('200000'), release: { on: 'consumption', threshold: eur('600000') } }] }, '2020-12-01')], activeSeed());
    const lowerError = given(lowered).when(commit({ amount: '1200000.00', committedOn: '2020-11-01' })).thenThrows('CEILING_EXCEEDED');
    expect(lowerError.details).toMatchObject({ date: '2020-12-01', ceiling: '1000000.00' });
  });
});
