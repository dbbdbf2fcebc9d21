import { event, type ConventionSettled, type FundCallIssued, type TrancheFellDue, type TranchePaid } from '../events';
import { acceptedExpense, activeSeed, eur, expense, payment, signedStatement } from '../../testing/builders';
import { seedRegistration } from '../../testing/seed-convention';
import { given, historyOf } from '../../testing/specification';

/** 610,000.75 accepted, in statement 1 (cutoff 2020-09-30) signed on 2020-10-05. */
const withSignedStatement = () => historyOf([
  ...acceptedExpense('e1', '600000.50', '2020-09-01'),
  ...acceptedExpense('e2', '10000.25', '2020-09-15', 'design'),
  ...signedStatement(1, '2020-09-30', false, '2020-10-05'),
], activeSeed());

const call = (tranche: number, statement = 1, issuedOn = '2020-10-06') => ({ type: 'IssueFundCall' as const, tranche, statement, issuedOn });

describe('F1: fund calls', () => {
  it('F1: a call backed by a valid statement over the threshold makes the tranche due', () => {
    given(withSignedStatement()).when(call(2)).then([
      event<FundCallIssued>('FundCallIssued', { tranche: 2, statement: 1, issuedOn: '2020-10-06', statementCumulativeTotal: '610000.75' }),
      event<TrancheFellDue>('TrancheFellDue', { tranche: 2, amount: '400000.00', dueOn: '2020-10-06', cause: 'fund-call' }),
    ]);
  });

  it('F1: refuses a call before the threshold, naming the threshold and the cumulative (THRESHOLD_NOT_REACHED)', () => {
    const history = historyOf([call(2)], withSignedStatement());
    const error = given(history).when(call(3, 1, '2020-10-07')).thenThrows('THRESHOLD_NOT_REACHED', 'rule');
    expect(error.message).toContain('1000000.00');
    expect(error.message).toContain('610000.75');
    expect(error.details).toMatchObject({ threshold: '1000000.00', cumulativeTotal: '610000.75' });
  });

  it('F1: refuses an unknown tranche (TRANCHE_NOT_FOUND, not-found)', () => {
    given(withSignedStatement()).when(call(4)).thenThrows('TRANCHE_NOT_FOUND', 'not-found');
  });

  it('F1: refuses calling an at-signature tranche (TRANCHE_NOT_CALLABLE)', () => {
    given(withSignedStatement()).when(call(1)).thenThrows('TRANCHE_NOT_CALLABLE');
  });

  it('F1: refuses calling tranche 3 before tranche 2 (TRANCHE_CALLED_OUT_OF_ORDER)', () => {
    given(withSignedStatement()).when(call(3)).thenThrows('TRANCHE_CALLED_OUT_OF_ORDER');
  });

  it('F1: each tranche is called once (TRANCHE_ALREADY_CALLED)', () => {
    given(historyOf([call(2)], withSignedStatement())).when(call(2, 1, '2020-10-08')).thenThrows('TRANCHE_ALREADY_CALLED');
  });

  it('F1: refuses an unknown statement (STATEMENT_NOT_FOUND)', () => {
    given(withSignedStatement()).when(call(2, 2)).thenThrows('STATEMENT_NOT_FOUND', 'not-found');
  });

  it('F1: refuses a statement signed in one role only (STATEMENT_NOT_SIGNED)', () => {
    const history = historyOf([
      ...acceptedExpense('e1', '610000.75', '2020-09-01'),
      ...signedStatement(1, '2020-09-30', false).slice(0, 2),
    ], activeSeed());
    given(history).when(call(2)).thenThrows('STATEMENT_NOT_SIGNED');
  });

  it('F1: refuses a call backed by a statement that a later one supersedes (STATEMENT_NOT_LATEST)', () => {
    // Expense e2 is found misused after statement 1; statement 2 shows the lower cumulative total.
    const history = historyOf([
      { type: 'RejectExpense', expenseId: 'e1', on: '2020-10-10', reason: 'usage non conforme' },
      ...signedStatement(2, '2020-10-31', false, '2020-11-02'),
    ], withSignedStatement());
    const error = given(history).when(call(2, 1, '2020-11-03')).thenThrows('STATEMENT_NOT_LATEST', 'rule');
    expect(error.details).toMatchObject({ statement: 1, latest: 2 });
    given(history).when(call(2, 2, '2020-11-03')).thenThrows('THRESHOLD_NOT_REACHED');
  });

  it('F1: refuses a call dated before the statement became valid (DATE_TOO_EARLY)', () => {
    given(withSignedStatement()).when(call(2, 1, '2020-10-04')).thenThrows('DATE_TOO_EARLY');
  });

  it('F1: refuses a call on a draft (CONVENTION_NOT_ACTIVE)', () => {
    given(historyOf([seedRegistration()])).when(call(2)).thenThrows('CONVENTION_NOT_ACTIVE');
  });
});

describe('P1: paying tranches', () => {
  it('P1: pays a due tranche, possibly in several payments', () => {
    given(historyOf([payment('p1', 1, '300000.00', '2020-05-20')], activeSeed()))
      .when({ type: 'PayTranche', paymentId: 'p2', tranche: 1, amount: eur('500000.00'), paidOn: '2020-05-25', reference: 'VIR-2' })
      .then([event<TranchePaid>('TranchePaid', { paymentId: 'p2', tranche: 1, amount: '500000.00', paidOn: '2020-05-25', reference: 'VIR-2' })]);
  });

  it('P1: never beyond the tranche amount (TRANCHE_OVERPAID)', () => {
    given(historyOf([payment('p1', 1, '300000.00', '2020-05-20')], activeSeed())).when(payment('p2', 1, '500000.01', '2020-05-25'))
      .thenThrows('TRANCHE_OVERPAID', 'rule');
  });

  it('P1: nothing on a tranche that is not due (TRANCHE_NOT_DUE)', () => {
    given(activeSeed()).when(payment('p1', 2, '1.00', '2020-05-25')).thenThrows('TRANCHE_NOT_DUE');
  });

  it('P1: a called tranche can be paid from its due date', () => {
    const history = historyOf([call(2)], withSignedStatement());
    expect(given(history).when(payment('p1', 2, '400000.00', '2020-10-06')).thenOutcome().events).toHaveLength(1);
    given(history).when(payment('p1', 2, '400000.00', '2020-10-05')).thenThrows('DATE_TOO_EARLY');
  });

  it('P1: refuses an amount of zero (AMOUNT_NOT_POSITIVE)', () => {
    given(activeSeed()).when(payment('p1', 1, '0', '2020-05-25')).thenThrows('AMOUNT_NOT_POSITIVE', 'invalid');
  });

  it('P1: refuses an unknown tranche (TRANCHE_NOT_FOUND)', () => {
    given(activeSeed()).when(payment('p1', 9, '1.00', '2020-05-25')).thenThrows('TRANCHE_NOT_FOUND', 'not-found');
  });

  it('P1: refuses a payment id already used (PAYMENT_ALREADY_RECORDED)', () => {
    given(historyOf([payment('p1', 1, '1.00', '2020-05-20')], activeSeed())).when(payment('p1', 1, '1.00', '2020-05-21'))
      .thenThrows('PAYMENT_ALREADY_RECORDED');
  });

  it('P1: refuses a payment on a draft (CONVENTION_NOT_ACTIVE)', () => {
    given(historyOf([seedRegistration()])).when(payment('p1', 1, '1.00', '2020-05-21')).thenThrows('CONVENTION_NOT_ACTIVE');
  });
});

describe('P1/X1: paying what is owed after a termination', () => {
  // 700,000 served by the termination date, 400,000 received → 300,000 owed to the beneficiary.
  const terminatedOwing = () => historyOf([
    ...expense('e1', '700000.00', { committedOn: '2020-06-01', serviceDoneOn: '2020-06-15' }),
    payment('p1', 1, '400000.00', '2020-05-20'),
    { type: 'TerminateConvention', on: '2020-07-01', reason: 'manquement', atFault: 'funder' },
  ], activeSeed());

  it('X1: the funder pays what it owes, even on a tranche that never fell due, and the last payment settles', () => {
    const history = historyOf([payment('p2', 1, '250000.00', '2020-07-10')], terminatedOwing());
    given(history).when(payment('p3', 2, '50000.00', '2020-07-20')).then([
      event<TranchePaid>('TranchePaid', { paymentId: 'p3', tranche: 2, amount: '50000.00', paidOn: '2020-07-20' }),
      event<ConventionSettled>('ConventionSettled', { on: '2020-07-20' }),
    ]);
  });

  it('X1: never beyond what is owed (PAYMENT_EXCEEDS_AMOUNT_OWED)', () => {
    given(terminatedOwing()).when(payment('p2', 1, '300000.01', '2020-07-10')).thenThrows('PAYMENT_EXCEEDS_AMOUNT_OWED');
  });

  it('X1: still never beyond a tranche amount (TRANCHE_OVERPAID)', () => {
    given(terminatedOwing()).when(payment('p2', 1, '400000.01', '2020-07-10')).thenThrows('TRANCHE_OVERPAID');
  });

  it('X1: not before the termination date (DATE_TOO_EARLY)', () => {
    given(terminatedOwing()).when(payment('p2', 1, '1.00', '2020-06-30')).thenThrows('DATE_TOO_EARLY');
  });

  it('X1: nothing when the funder owes nothing (NOTHING_OWED_TO_BENEFICIARY)', () => {
    const owingRestitution = historyOf([
      payment('p1', 1, '800000.00', '2020-05-20'),
      { type: 'TerminateConvention', on: '2020-07-01', reason: 'manquement', atFault: 'beneficiary' },
    ], activeSeed());
    given(owingRestitution).when(payment('p2', 2, '1.00', '2020-07-10')).thenThrows('NOTHING_OWED_TO_BENEFICIARY');
  });
});
