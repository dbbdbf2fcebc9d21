import { event, type FundCallIssued, type TrancheFellDue, type TranchePaid } from '../events';
import {
  acceptedExpense, activeSeed, amendment, closure, eur, payment, rejection, signedStatement, termination,
} from '../../testing/builders';
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

  it('F1 (v2): an expense rejected after the statement was signed is left out: with 600,000.00 rejected on 07-02, the call of 07-03 is refused (THRESHOLD_NOT_REACHED)', () => {
    const history = historyOf([
      payment('p1', 1, '800000.00', '2020-05-20'),
      ...acceptedExpense('e1', '600000.00', '2020-06-15'),
      ...signedStatement(1, '2020-06-30', false, '2020-07-01'),
      rejection('e1', '2020-07-02', 'dépense hors convention'),
    ], activeSeed());
    const error = given(history).when(call(2, 1, '2020-07-03')).thenThrows('THRESHOLD_NOT_REACHED', 'rule');
    expect(error.details).toEqual({ tranche: 2, threshold: '600000.00', cumulativeTotal: '600000.00', consumed: '0.00', statement: 1 });
    expect(error.message).toContain('0.00 on 2020-07-03');
  });

  it('F1 (v2): consumption counts expenses not rejected at all, even a rejection dated after the call', () => {
    const history = historyOf([rejection('e1', '2020-10-20')], withSignedStatement());
    const error = given(history).when(call(2, 1, '2020-10-06')).thenThrows('THRESHOLD_NOT_REACHED');
    expect(error.details).toMatchObject({ consumed: '10000.25' });
  });

  it('F1/A3 (v2): a call dated before an amendment that changed its tranche is judged on the terms of its date (DATE_TOO_EARLY, A3)', () => {
    // Amendment 1 (2020-11-01) lowers tranche 2's threshold; the call dated 2020-10-20 would rest on terms not in force then.
    const amended = historyOf([amendment({ tranches: [
      { amount: eur('400000'), release: { on: 'consumption', threshold: eur('500000') } },
      { amount: eur('400000'), release: { on: 'consumption', threshold: eur('1000000') } },
    ] }, '2020-11-01')], withSignedStatement());
    const error = given(amended).when(call(2, 1, '2020-10-20')).thenThrows('DATE_TOO_EARLY', 'rule');
    expect(error.rule).toBe('A3');
    expect(error.details).toMatchObject({ field: 'issuedOn', notBefore: '2020-11-01' });
    expect(given(amended).when(call(2, 1, '2020-11-01')).thenOutcome().events).toHaveLength(2);
    // An amendment that leaves the tranche as it was does not hold back a call dated before it.
    const extended = historyOf([amendment({ durationMonths: 18 }, '2020-11-01')], withSignedStatement());
    expect(given(extended).when(call(2, 1, '2020-10-20')).thenOutcome().events).toHaveLength(2);
  });

  it('F1/A3: the refusal names the amendment that set the tranche\'s terms, not merely the latest one', () => {
    const twice = historyOf([
      amendment({ tranches: [
        { amount: eur('400000'), release: { on: 'consumption', threshold: eur('500000') } },
        { amount: eur('400000'), release: { on: 'consumption', threshold: eur('1000000') } },
      ] }, '2020-11-01'),
      amendment({ durationMonths: 18 }, '2020-12-01'),
    ], withSignedStatement());
    const error = given(twice).when(call(2, 1, '2020-10-20')).thenThrows('DATE_TOO_EARLY');
    expect(error.details).toMatchObject({ notBefore: '2020-11-01' });
    expect(error.message).toContain('amendment 1');
    expect(given(twice).when(call(2, 1, '2020-11-15')).thenOutcome().events).toHaveLength(2);
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

describe('P1 (v2): tranche payments only while active', () => {
  it('P1/X1: after a termination no tranche is paid, not even one owed: the funder pays what it owes by settlement (CONVENTION_NOT_ACTIVE)', () => {
    const terminated = historyOf([
      ...acceptedExpense('e1', '700000.00', '2020-06-15'),
      payment('p1', 1, '400000.00', '2020-05-20'),
      termination('2020-07-01', { decidedBy: 'beneficiary', atFault: 'funder' }),
    ], activeSeed());
    given(terminated).when(payment('p2', 1, '300000.00', '2020-07-10')).thenThrows('CONVENTION_NOT_ACTIVE');
    given(terminated).when(payment('p2', 2, '1.00', '2020-07-10')).thenThrows('CONVENTION_NOT_ACTIVE');
  });

  it('P1/C1: nor after closure (CONVENTION_NOT_ACTIVE)', () => {
    const closed = historyOf([
      ...acceptedExpense('e1', '900000.00', '2021-03-01'),
      payment('p1', 1, '500000.00', '2020-05-20'),
      ...signedStatement(1, '2021-05-11', true, '2021-05-20'),
      closure('2021-06-01'),
    ], activeSeed());
    given(closed).when(payment('p2', 1, '300000.00', '2021-06-10')).thenThrows('CONVENTION_NOT_ACTIVE');
  });
});
