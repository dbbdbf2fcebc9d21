import {
  event, type ConventionClosed, type ConventionSettled, type ConventionTerminated, type RestitutionPaid, type SettlementPaid,
  type StatementSigned,
} from '../events';
import { fold } from '../evolve';
import { figuresOf, type RegisteredConvention } from '../state';
import {
  ACCOUNTANT, acceptedExpense, activeSeed, closure, eur, expense, payment, rejection, restitution, settlementPayment, signedStatement,
  termination,
} from '../../testing/builders';
import { given, historyOf } from '../../testing/specification';

/** 500,000 accepted, 800,000 received, final statement 1 signed. */
const readyToClose = () => historyOf([
  ...acceptedExpense('e1', '500000.00', '2021-03-01'),
  payment('p1', 1, '800000.00', '2020-05-20'),
  ...signedStatement(1, '2021-05-11', true, '2021-05-20'),
], activeSeed());
const close = (on = '2021-06-01', statement = 1) => closure(on, statement);
const closed = (data: Omit<ConventionClosed['data'], 'on' | 'statement'> & Partial<Pick<ConventionClosed['data'], 'on' | 'statement'>>) =>
  event<ConventionClosed>('ConventionClosed', { on: '2021-06-01', statement: 1, ...data });

describe('C1: closure', () => {
  it('C1: closes on a valid final statement matching consumption; participation = consumed, the unused money is to restitute, tranches never due lapse', () => {
    given(readyToClose()).when(close()).then([closed({
      consumed: '500000.00', participation: '500000.00', received: '800000.00', restitutionDue: '300000.00', owedToBeneficiary: '0.00',
      lapsedTranches: [2, 3],
    })]);
  });

  it('C1/R1: closing with nothing owed either way settles at once', () => {
    const history = historyOf([
      ...acceptedExpense('e1', '800000.00', '2021-03-01'),
      payment('p1', 1, '800000.00', '2020-05-20'),
      ...signedStatement(1, '2021-05-11', true),
    ], activeSeed());
    const { events, state } = given(history).when(close()).thenOutcome();
    expect(events).toEqual([
      closed({ consumed: '800000.00', participation: '800000.00', received: '800000.00', restitutionDue: '0.00', owedToBeneficiary: '0.00', lapsedTranches: [2, 3] }),
      event<ConventionSettled>('ConventionSettled', { on: '2021-06-01' }),
    ]);
    expect(state).toMatchObject({ status: 'settled', settledOn: '2021-06-01' });
  });

  it('C1 (v2): 1,300,000.00 consumed on a signed final statement, tranche 3 never called → participation 1,300,000.00, 100,000.00 owed, paid as a settlement, then settled', () => {
    // Tranche 3's threshold (1,000,000.00) was reached: a right even though it was never called.
    const history = historyOf([
      payment('p1', 1, '800000.00', '2020-05-20'),
      ...acceptedExpense('e1', '700000.00', '2020-09-01'),
      ...signedStatement(1, '2020-09-30', false, '2020-10-05'),
      { type: 'IssueFundCall', tranche: 2, statement: 1, issuedOn: '2020-10-06' },
      payment('p2', 2, '400000.00', '2020-10-20'),
      ...acceptedExpense('e2', '600000.00', '2021-03-01'),
      ...signedStatement(2, '2021-05-11', true, '2021-05-20'),
    ], activeSeed());
    const { events, state } = given(history).when(close('2021-06-01', 2)).thenOutcome();
    expect(events).toEqual([closed({
      statement: 2, consumed: '1300000.00', participation: '1300000.00', received: '1200000.00', restitutionDue: '0.00',
      owedToBeneficiary: '100000.00', lapsedTranches: [3],
    })]);
    const after = figuresOf(state as RegisteredConvention);
    expect([after.owedToBeneficiary.outstanding.toFixed(2), after.restitution.outstanding.toFixed(2), after.status]).toEqual(['100000.00', '0.00', 'closed']);

    const closedHistory = historyOf([close('2021-06-01', 2)], history);
    const paid = given(closedHistory).when(settlementPayment('s1', '100000.00', '2021-06-20')).thenOutcome();
    expect(paid.events).toEqual([
      event<SettlementPaid>('SettlementPaid', { paymentId: 's1', amount: '100000.00', paidOn: '2021-06-20' }),
      event<ConventionSettled>('ConventionSettled', { on: '2021-06-20' }),
    ]);
    const settled = figuresOf(paid.state as RegisteredConvention);
    expect([settled.status, settled.received.toFixed(2), settled.owedToBeneficiary.paid.toFixed(2), settled.outstanding.toFixed(2), settled.remainingCeiling.toFixed(2)])
      .toEqual(['settled', '1200000.00', '100000.00', '0.00', '0.00']);
  });

  it('C1 (v2): due tranches left unpaid no longer block closure: what consumption entitles the beneficiary to is owed to it', () => {
    // 900,000 consumed, tranche 1 (800,000) due but only 500,000 paid: 400,000 owed. v1 refused with DUE_TRANCHES_UNPAID.
    const history = historyOf([
      ...acceptedExpense('e1', '900000.00', '2021-03-01'),
      payment('p1', 1, '500000.00', '2020-05-20'),
      ...signedStatement(1, '2021-05-11', true, '2021-05-20'),
    ], activeSeed());
    given(history).when(close()).then([closed({
      consumed: '900000.00', participation: '900000.00', received: '500000.00', restitutionDue: '0.00', owedToBeneficiary: '400000.00', lapsedTranches: [2, 3],
    })]);
  });

  it('C1: a due tranche left unpaid when what was received covers consumption: its remainder lapses, the excess is to restitute', () => {
    const history = historyOf([
      ...acceptedExpense('e1', '500000.00', '2021-03-01'),
      payment('p1', 1, '600000.00', '2020-05-20'),
      ...signedStatement(1, '2021-05-11', true, '2021-05-20'),
    ], activeSeed());
    const { events, state } = given(history).when(close()).thenOutcome();
    expect(events).toEqual([closed({
      consumed: '500000.00', participation: '500000.00', received: '600000.00', restitutionDue: '100000.00', owedToBeneficiary: '0.00', lapsedTranches: [2, 3],
    })]);
    const after = figuresOf(state as RegisteredConvention);
    expect([after.due.toFixed(2), after.outstanding.toFixed(2), after.tranches.map((t) => t.status)])
      .toEqual(['600000.00', '0.00', ['partially-paid', 'lapsed', 'lapsed']]);
  });

  it('C1: refuses a statement that is not final (STATEMENT_NOT_FINAL)', () => {
    const history = historyOf(signedStatement(1, '2021-05-11', false), activeSeed());
    given(history).when(close()).thenThrows('STATEMENT_NOT_FINAL');
  });

  it('C1: refuses a final statement not signed in both roles (STATEMENT_NOT_SIGNED)', () => {
    const history = historyOf(signedStatement(1, '2021-05-11', true).slice(0, 2), activeSeed());
    given(history).when(close()).thenThrows('STATEMENT_NOT_SIGNED');
  });

  it('C1: refuses a final statement that no longer matches consumption (FINAL_STATEMENT_MISMATCH)', () => {
    const history = historyOf([rejection('e1', '2021-05-25', 'non conforme')], readyToClose());
    const error = given(history).when(close()).thenThrows('FINAL_STATEMENT_MISMATCH');
    expect(error.details).toMatchObject({ cumulativeTotal: '500000.00', consumed: '0.00' });
  });

  it('C1: refuses an unknown statement (STATEMENT_NOT_FOUND)', () => {
    given(readyToClose()).when(close('2021-06-01', 2)).thenThrows('STATEMENT_NOT_FOUND', 'not-found');
  });

  it('C1: refuses a closure before the cutoff (DATE_TOO_EARLY)', () => {
    given(readyToClose()).when(close('2021-05-10')).thenThrows('DATE_TOO_EARLY');
  });

  it('C1: refuses a closure dated before the final statement became valid (DATE_TOO_EARLY)', () => {
    // Statement 1 (cutoff 2021-05-11) was signed on 2021-05-20.
    const error = given(readyToClose()).when(close('2021-05-15')).thenThrows('DATE_TOO_EARLY');
    expect(error.details).toMatchObject({ notBefore: '2021-05-20' });
  });

  it('C1 (v2): refuses a closure dated before the latest fact recorded on the convention (DATE_TOO_EARLY)', () => {
    // An expense never accepted (so the final statement still matches) is rejected on 2021-06-10.
    const history = historyOf([...expense('x', '1.00', { committedOn: '2021-05-05' }), rejection('x', '2021-06-10')], readyToClose());
    const error = given(history).when(close('2021-06-01')).thenThrows('DATE_TOO_EARLY');
    expect(error.details).toMatchObject({ field: 'on', notBefore: '2021-06-10' });
    expect(given(history).when(close('2021-06-10')).thenOutcome().events[0].type).toBe('ConventionClosed');
  });

  it('C1/D3: an expense rejected after the final statement: a corrective final statement, then closure', () => {
    const history = historyOf([
      ...acceptedExpense('e2', '100000.00', '2021-03-02'),
      payment('p1', 1, '800000.00', '2020-05-20'),
      ...signedStatement(1, '2021-05-10', true, '2021-05-20'),
      rejection('e2', '2021-05-25', 'usage non conforme'),
      ...signedStatement(2, '2021-05-11', true, '2021-05-27', '2021-05-26'),
    ], historyOf(acceptedExpense('e1', '500000.00', '2021-03-01'), activeSeed()));
    given(history).when(close('2021-06-01', 1)).thenThrows('STATEMENT_NOT_LATEST');
    given(history).when(close('2021-06-01', 2)).then([closed({
      statement: 2, consumed: '500000.00', participation: '500000.00', received: '800000.00', restitutionDue: '300000.00',
      owedToBeneficiary: '0.00', lapsedTranches: [2, 3],
    })]);
  });

  it('C1 (v2): a closed convention takes restitutions, settlement payments and late rejections, nothing else (CONVENTION_NOT_ACTIVE)', () => {
    const closedHistory = historyOf([close()], readyToClose());
    given(closedHistory).when({ type: 'CommitExpense', expenseId: 'x', category: 'devops', description: 'x', amount: eur('1'), committedOn: '2021-05-01' })
      .thenThrows('CONVENTION_NOT_ACTIVE');
    given(closedHistory).when(payment('p2', 1, '1.00', '2021-06-02')).thenThrows('CONVENTION_NOT_ACTIVE');
    given(closedHistory).when(close('2021-06-02')).thenThrows('CONVENTION_NOT_ACTIVE');
    given(closedHistory).when(termination('2021-06-02')).thenThrows('CONVENTION_NOT_ACTIVE');
    given(closedHistory).when({ type: 'DrawUpStatement', cutoff: '2021-05-11', final: true }).thenThrows('CONVENTION_NOT_ACTIVE');
    given(closedHistory).when({ type: 'AmendConvention', signedOn: '2021-06-02', signatories: { funder: 'Y', beneficiary: 'N' }, changes: { durationMonths: 18 } })
      .thenThrows('CONVENTION_NOT_ACTIVE');
    expect(given(closedHistory).when(restitution('r1', '1.00', '2021-06-02')).thenOutcome().events[0].type).toBe('RestitutionPaid');
    expect(given(closedHistory).when(rejection('e1', '2021-06-02')).thenOutcome().events[0].type).toBe('ExpenseRejected');
  });
});

describe('X1: termination', () => {
  /** 800,000 received; 'served' accepted and served by 2020-06-20; 'later' served after; 'rejected' found ineligible. */
  const history = () => historyOf([
    ...expense('served', '300000.00', { committedOn: '2020-06-01', serviceDoneOn: '2020-06-20', paidOn: '2020-06-25', acceptedOn: '2020-06-26' }),
    ...expense('unaccepted', '100000.00', { committedOn: '2020-06-01', serviceDoneOn: '2020-06-20' }),
    ...expense('later', '200000.00', { committedOn: '2020-06-01', serviceDoneOn: '2020-07-20', paidOn: '2020-07-21', acceptedOn: '2020-07-22' }),
    ...expense('rejected', '50000.00', { committedOn: '2020-06-01', serviceDoneOn: '2020-06-20', paidOn: '2020-06-25', acceptedOn: '2020-06-26' }),
    rejection('rejected', '2020-06-27'),
    payment('p1', 1, '800000.00', '2020-05-20'),
  ], activeSeed());

  it('X1 (v2): participation = accepted, non-rejected expenses served by the effect date; the rest is to restitute; figures provisional', () => {
    const { events, state } = given(history()).when(termination('2020-07-01', { decidedOn: '2020-06-28', reason: 'usage non conforme' })).thenOutcome();
    expect(events).toEqual([event<ConventionTerminated>('ConventionTerminated', {
      decidedOn: '2020-06-28', effectiveOn: '2020-07-01', decidedBy: 'funder', reason: 'usage non conforme', atFault: 'beneficiary',
      participation: '300000.00', received: '800000.00', restitutionDue: '500000.00', owedToBeneficiary: '0.00', lapsedTranches: [2, 3],
    })]);
    expect(state).toMatchObject({ status: 'terminated', termination: { decidedOn: '2020-06-28', effectiveOn: '2020-07-01', decidedBy: 'funder', atFault: 'beneficiary' } });
    expect(figuresOf(state as RegisteredConvention)).toMatchObject({ status: 'terminated', provisional: true });
  });

  it('X1 (v2): either party records it, naming the party at fault', () => {
    const { events } = given(history()).when(termination('2020-07-01', { decidedBy: 'beneficiary', atFault: 'funder', reason: 'versements non effectués' })).thenOutcome();
    expect(events[0].data).toMatchObject({ decidedBy: 'beneficiary', atFault: 'funder', reason: 'versements non effectués' });
  });

  it('X1: refuses a decision before the convention took effect (DATE_TOO_EARLY)', () => {
    const error = given(history()).when(termination('2020-07-01', { decidedOn: '2020-05-10' })).thenThrows('DATE_TOO_EARLY');
    expect(error.details).toMatchObject({ field: 'decidedOn', notBefore: '2020-05-11' });
  });

  it('X1 (v2): refuses an effect date before the decision (DATE_TOO_EARLY)', () => {
    const error = given(history()).when(termination('2020-06-30', { decidedOn: '2020-07-01' })).thenThrows('DATE_TOO_EARLY');
    expect(error.details).toMatchObject({ field: 'effectiveOn', notBefore: '2020-07-01' });
  });

  it('X1 (v2): a termination taking effect 2020-07-01 after a fund call on 09-02 and a payment on 09-10 is refused (DATE_TOO_EARLY); one dated 2035-01-01 too (DATE_IN_FUTURE)', () => {
    const withCall = historyOf([
      ...acceptedExpense('e1', '610000.00', '2020-08-01'),
      ...signedStatement(1, '2020-08-31', false, '2020-09-01'),
      { type: 'IssueFundCall', tranche: 2, statement: 1, issuedOn: '2020-09-02' },
      payment('p1', 2, '400000.00', '2020-09-10'),
    ], activeSeed());
    const error = given(withCall).when(termination('2020-07-01')).thenThrows('DATE_TOO_EARLY', 'rule');
    expect(error.details).toMatchObject({ field: 'effectiveOn', date: '2020-07-01', notBefore: '2020-09-10' });
    const callOnly = withCall.slice(0, -1);
    expect(given(callOnly).when(termination('2020-09-01')).thenThrows('DATE_TOO_EARLY').details).toMatchObject({ notBefore: '2020-09-02' });
    given(withCall).when(termination('2035-01-01')).thenThrows('DATE_IN_FUTURE');
    given(withCall).when(termination('2035-01-01', { decidedOn: '2020-09-15' })).thenThrows('DATE_IN_FUTURE');
    expect(given(withCall).when(termination('2020-09-10')).thenOutcome().events[0].type).toBe('ConventionTerminated');
  });

  it('X1: a reason is required (TEXT_REQUIRED)', () => {
    given(history()).when(termination('2020-07-01', { reason: '' })).thenThrows('TEXT_REQUIRED', 'invalid');
  });

  it('X1: the party at fault and the deciding party are funder or beneficiary (MALFORMED_COMMAND)', () => {
    given(history()).when({ ...termination('2020-07-01'), atFault: 'nobody' as 'funder' }).thenThrows('MALFORMED_COMMAND', 'invalid');
    given(history()).when({ ...termination('2020-07-01'), decidedBy: 'auditor' as 'funder' }).thenThrows('MALFORMED_COMMAND', 'invalid');
  });

  it('X1: only while active (CONVENTION_NOT_ACTIVE); after it nothing new is committed, called, paid as a tranche or amended', () => {
    const terminated = historyOf([termination('2020-07-01')], history());
    given(terminated).when(termination('2020-07-02')).thenThrows('CONVENTION_NOT_ACTIVE');
    given(terminated).when({ type: 'CommitExpense', expenseId: 'x', category: 'devops', description: 'x', amount: eur('1'), committedOn: '2020-06-30' })
      .thenThrows('CONVENTION_NOT_ACTIVE');
    given(terminated).when(payment('p2', 1, '1.00', '2020-07-02')).thenThrows('CONVENTION_NOT_ACTIVE');
    given(terminated).when({ type: 'IssueFundCall', tranche: 2, statement: 1, issuedOn: '2020-07-02' }).thenThrows('CONVENTION_NOT_ACTIVE');
    given(terminated).when(close('2020-07-02')).thenThrows('CONVENTION_NOT_ACTIVE');
    given(terminated).when({ type: 'AmendConvention', signedOn: '2020-07-02', signatories: { funder: 'Y', beneficiary: 'N' }, changes: { durationMonths: 18 } })
      .thenThrows('CONVENTION_NOT_ACTIVE');
  });
});

describe('X1 (v2): liquidation after a termination', () => {
  /** 800,000 received; e1 accepted 500,000; e2 (200,000) served by the effect date but not yet paid; e3 committed after it. */
  const terminated = () => historyOf([
    payment('p1', 1, '800000.00', '2020-05-20'),
    ...acceptedExpense('e1', '500000.00', '2020-06-01'),
    ...expense('e2', '200000.00', { committedOn: '2020-06-01', serviceDoneOn: '2020-06-20' }),
    ...expense('e3', '50000.00', { committedOn: '2020-07-15' }),
    termination('2020-07-01'),
  ], activeSeed());

  it('X1: expenses committed by the effect date take their remaining steps; once accepted they count in the participation', () => {
    const history = historyOf([
      { type: 'RecordExpensePayment', expenseId: 'e2', paidOn: '2020-07-10' },
    ], terminated());
    const { state } = given(history).when({ type: 'AcceptExpense', expenseId: 'e2', on: '2020-07-15' }).thenOutcome();
    const after = figuresOf(state as RegisteredConvention);
    expect([after.participation!.toFixed(2), after.restitution.due.toFixed(2), after.provisional]).toEqual(['700000.00', '100000.00', true]);
  });

  it('X1: an expense committed after the effect date takes no step (EXPENSE_NOT_IN_LIQUIDATION)', () => {
    const error = given(terminated()).when({ type: 'RecordServiceDone', expenseId: 'e3', on: '2020-07-20' }).thenThrows('EXPENSE_NOT_IN_LIQUIDATION', 'rule');
    expect(error.details).toMatchObject({ expenseId: 'e3', committedOn: '2020-07-15', effectiveOn: '2020-07-01' });
    // It can still be rejected (E3).
    expect(given(terminated()).when(rejection('e3', '2020-07-20')).thenOutcome().events[0].type).toBe('ExpenseRejected');
  });

  it('X1: the remaining steps stay within the period of effect (DATE_OUTSIDE_PERIOD)', () => {
    given(terminated()).when({ type: 'RecordExpensePayment', expenseId: 'e2', paidOn: '2021-05-12' }).thenThrows('DATE_OUTSIDE_PERIOD');
  });

  it('X1: restitutions and settlement payments wait for final figures (FIGURES_PROVISIONAL)', () => {
    const error = given(terminated()).when(restitution('r1', '1.00', '2020-07-10')).thenThrows('FIGURES_PROVISIONAL', 'rule');
    expect(error.rule).toBe('X1');
    given(terminated()).when(settlementPayment('s1', '1.00', '2020-07-10')).thenThrows('FIGURES_PROVISIONAL');
  });

  it('X1: statements are drawn up and signed during the liquidation; the final one\'s second signature makes the figures final', () => {
    const history = historyOf([
      { type: 'RecordExpensePayment', expenseId: 'e2', paidOn: '2020-07-10' },
      { type: 'AcceptExpense', expenseId: 'e2', on: '2020-07-15' },
      ...signedStatement(1, '2020-07-31', true, '2020-08-05').slice(0, 2),
    ], terminated());
    expect(figuresOf(given(history).when(signedStatement(1, '2020-07-31', true, '2020-08-05')[2]).thenOutcome().state as RegisteredConvention))
      .toMatchObject({ provisional: false, status: 'terminated' });
    const final = historyOf([signedStatement(1, '2020-07-31', true, '2020-08-05')[2]], history);
    // Figures final: the restitution can be paid; liquidation is over.
    given(final).when(restitution('r1', '100000.00', '2020-08-10')).then([
      event<RestitutionPaid>('RestitutionPaid', { restitutionId: 'r1', amount: '100000.00', paidOn: '2020-08-10' }),
      event<ConventionSettled>('ConventionSettled', { on: '2020-08-10' }),
    ]);
    given(final).when({ type: 'RecordServiceDone', expenseId: 'e3', on: '2020-08-10' }).thenThrows('CONVENTION_NOT_ACTIVE');
    given(final).when({ type: 'DrawUpStatement', cutoff: '2020-08-31', final: true }).thenThrows('CONVENTION_NOT_ACTIVE');
  });

  it('X1/R1/R2: after a termination, money changes hands no earlier than the day the final statement made the figures final (DATE_TOO_EARLY)', () => {
    const history = historyOf([
      { type: 'RecordExpensePayment', expenseId: 'e2', paidOn: '2020-07-10' },
      { type: 'AcceptExpense', expenseId: 'e2', on: '2020-07-15' },
      ...signedStatement(1, '2020-07-31', true, '2020-08-05'),
    ], terminated());
    // Terminated on 2020-07-01, but the figures are final only from 2020-08-05: an as-of view
    // between the two must not show money paid back on provisional figures.
    const error = given(history).when(restitution('r1', '1.00', '2020-08-04')).thenThrows('DATE_TOO_EARLY');
    expect(error.details).toMatchObject({ field: 'paidOn', notBefore: '2020-08-05' });
    expect(given(history).when(restitution('r1', '1.00', '2020-08-05')).thenOutcome().events[0].type).toBe('RestitutionPaid');
  });

  it('X1/R1: a final statement valid before the termination does not let money change hands before its effect (DATE_TOO_EARLY)', () => {
    const history = historyOf([
      payment('p1', 1, '800000.00', '2020-05-20'),
      ...signedStatement(1, '2020-06-15', true, '2020-06-20'),
      termination('2020-07-01', { decidedOn: '2020-06-25' }),
    ], activeSeed());
    const error = given(history).when(restitution('r1', '1.00', '2020-06-28')).thenThrows('DATE_TOO_EARLY');
    expect(error.details).toMatchObject({ field: 'paidOn', notBefore: '2020-07-01' });
    expect(given(history).when(restitution('r1', '1.00', '2020-07-01')).thenOutcome().events[0].type).toBe('RestitutionPaid');
  });

  it('X1/R1: with nothing owed either way, the signature that makes the final statement valid settles the convention', () => {
    const exact = historyOf([
      payment('p1', 1, '500000.00', '2020-05-20'),
      ...acceptedExpense('e1', '500000.00', '2020-06-01'),
      termination('2020-07-01'),
      ...signedStatement(1, '2020-06-30', true, '2020-07-05', '2020-07-02').slice(0, 2),
    ], activeSeed());
    given(exact).when({ type: 'SignStatement', number: 1, as: 'public-accountant', ...ACCOUNTANT, signedOn: '2020-07-06' }).then([
      event<StatementSigned>('StatementSigned', { number: 1, as: 'public-accountant', ...ACCOUNTANT, signedOn: '2020-07-06' }),
      event<ConventionSettled>('ConventionSettled', { on: '2020-07-06' }),
    ]);
  });

  it('X1: a termination with nothing owed either way is not settled at once: its figures are provisional', () => {
    const exact = historyOf([payment('p1', 1, '500000.00', '2020-05-20'), ...acceptedExpense('e1', '500000.00', '2020-06-01')], activeSeed());
    const { events } = given(exact).when(termination('2020-07-01')).thenOutcome();
    expect(events.map((e) => e.type)).toEqual(['ConventionTerminated']);
  });

  it('X1: a valid final statement signed before the termination makes its figures final at once', () => {
    const exact = historyOf([
      payment('p1', 1, '500000.00', '2020-05-20'),
      ...acceptedExpense('e1', '500000.00', '2020-06-01'),
      ...signedStatement(1, '2020-06-30', true),
    ], activeSeed());
    const { events } = given(exact).when(termination('2020-07-01')).thenOutcome();
    expect(events).toEqual([expect.objectContaining({ type: 'ConventionTerminated' }), event<ConventionSettled>('ConventionSettled', { on: '2020-07-01' })]);
  });
});

describe('R1: restitutions', () => {
  const closedHistory = () => historyOf([close()], readyToClose());

  it('R1: records a partial restitution', () => {
    given(closedHistory()).when(restitution('r1', '100000.00', '2021-06-15'))
      .then([event<RestitutionPaid>('RestitutionPaid', { restitutionId: 'r1', amount: '100000.00', paidOn: '2021-06-15' })]);
  });

  it('R1: the restitution that clears the balance settles the convention', () => {
    given(historyOf([restitution('r1', '100000.00', '2021-06-15')], closedHistory())).when(restitution('r2', '200000.00', '2021-07-01')).then([
      event<RestitutionPaid>('RestitutionPaid', { restitutionId: 'r2', amount: '200000.00', paidOn: '2021-07-01' }),
      event<ConventionSettled>('ConventionSettled', { on: '2021-07-01' }),
    ]);
  });

  it('R1: never beyond what is outstanding (RESTITUTION_EXCEEDS_DUE)', () => {
    const error = given(historyOf([restitution('r1', '100000.00', '2021-06-15')], closedHistory())).when(restitution('r2', '200000.01', '2021-07-01'))
      .thenThrows('RESTITUTION_EXCEEDS_DUE');
    expect(error.details).toEqual({ amount: '200000.01', outstanding: '200000.00' });
  });

  it('R1: not dated before the closure (DATE_TOO_EARLY); the closure date itself is fine', () => {
    const error = given(closedHistory()).when(restitution('r1', '1.00', '2021-05-31')).thenThrows('DATE_TOO_EARLY');
    expect(error.details).toMatchObject({ field: 'paidOn', notBefore: '2021-06-01' });
    expect(given(closedHistory()).when(restitution('r1', '1.00', '2021-06-01')).thenOutcome().events).toHaveLength(1);
  });

  it('R1: refuses a restitution id already used (RESTITUTION_ALREADY_RECORDED)', () => {
    given(historyOf([restitution('r1', '1.00', '2021-06-15')], closedHistory())).when(restitution('r1', '1.00', '2021-06-16'))
      .thenThrows('RESTITUTION_ALREADY_RECORDED');
  });

  it('R1: refuses an amount of zero (AMOUNT_NOT_POSITIVE) and a blank id (TEXT_REQUIRED)', () => {
    given(closedHistory()).when(restitution('r1', '0', '2021-06-15')).thenThrows('AMOUNT_NOT_POSITIVE', 'invalid');
    given(closedHistory()).when(restitution(' ', '1.00', '2021-06-15')).thenThrows('TEXT_REQUIRED', 'invalid');
  });

  it('R1: nothing to restitute on a settled convention, nor when the funder is the one who owes (NO_RESTITUTION_DUE)', () => {
    const settled = historyOf([restitution('r1', '300000.00', '2021-06-15')], closedHistory());
    given(settled).when(restitution('r2', '1.00', '2021-06-16')).thenThrows('NO_RESTITUTION_DUE');
    const owing = historyOf([
      ...acceptedExpense('e1', '900000.00', '2021-03-01'),
      payment('p1', 1, '800000.00', '2020-05-20'),
      ...signedStatement(1, '2021-05-11', true, '2021-05-20'),
      close(),
    ], activeSeed());
    given(owing).when(restitution('r1', '1.00', '2021-06-15')).thenThrows('NO_RESTITUTION_DUE');
  });

  it('R1 (v2): no restitution before the end: on an active convention (CONVENTION_NOT_ACTIVE)', () => {
    given(activeSeed()).when(restitution('r1', '1.00', '2021-06-15')).thenThrows('CONVENTION_NOT_ACTIVE');
  });

  it('R1/X1: after a termination, restitutions are paid from the day the figures are final', () => {
    const terminated = historyOf([
      payment('p1', 1, '800000.00', '2020-05-20'),
      termination('2020-07-01'),
      ...signedStatement(1, '2020-06-30', true, '2020-07-02', '2020-07-01'),
    ], activeSeed());
    given(terminated).when(restitution('r1', '800000.00', '2020-06-30')).thenThrows('DATE_TOO_EARLY');
    given(terminated).when(restitution('r1', '800000.00', '2020-07-01')).thenThrows('DATE_TOO_EARLY');
    const { events } = given(terminated).when(restitution('r1', '800000.00', '2020-07-02')).thenOutcome();
    expect(events).toEqual([
      event<RestitutionPaid>('RestitutionPaid', { restitutionId: 'r1', amount: '800000.00', paidOn: '2020-07-02' }),
      event<ConventionSettled>('ConventionSettled', { on: '2020-07-02' }),
    ]);
  });

  it('R1: on a settled convention only a late rejection is accepted (CONVENTION_NOT_ACTIVE for the rest)', () => {
    const settled = historyOf([restitution('r1', '300000.00', '2021-06-15')], closedHistory());
    given(settled).when(payment('p2', 1, '1.00', '2021-07-01')).thenThrows('CONVENTION_NOT_ACTIVE');
    given(settled).when({ type: 'DrawUpStatement', cutoff: '2021-05-11', final: true }).thenThrows('CONVENTION_NOT_ACTIVE');
    given(settled).when(settlementPayment('s1', '1.00', '2021-07-01')).thenThrows('NOTHING_OWED_TO_BENEFICIARY');
    expect(given(settled).when(rejection('e1', '2021-07-01')).thenOutcome().events.map((e) => e.type)).toEqual(['ExpenseRejected', 'SettlementReopened']);
  });
});

describe('R2 (v2): settlement payments', () => {
  /** 900,000 consumed, 800,000 received: closed owing the beneficiary 100,000. */
  const owing = () => historyOf([
    ...acceptedExpense('e1', '900000.00', '2021-03-01'),
    payment('p1', 1, '800000.00', '2020-05-20'),
    ...signedStatement(1, '2021-05-11', true, '2021-05-20'),
    close(),
  ], activeSeed());

  it('R2: the funder pays what it owes, in several parts; the last one settles', () => {
    given(owing()).when(settlementPayment('s1', '60000.00', '2021-06-10', 'VIR-S1'))
      .then([event<SettlementPaid>('SettlementPaid', { paymentId: 's1', amount: '60000.00', paidOn: '2021-06-10', reference: 'VIR-S1' })]);
    given(historyOf([settlementPayment('s1', '60000.00', '2021-06-10')], owing())).when(settlementPayment('s2', '40000.00', '2021-06-20')).then([
      event<SettlementPaid>('SettlementPaid', { paymentId: 's2', amount: '40000.00', paidOn: '2021-06-20' }),
      event<ConventionSettled>('ConventionSettled', { on: '2021-06-20' }),
    ]);
  });

  it('R2: never beyond what is owed (PAYMENT_EXCEEDS_AMOUNT_OWED)', () => {
    const error = given(owing()).when(settlementPayment('s1', '100000.01', '2021-06-10')).thenThrows('PAYMENT_EXCEEDS_AMOUNT_OWED', 'rule');
    expect(error.details).toEqual({ amount: '100000.01', owed: '100000.00' });
  });

  it('R2: a payment id is used once, among tranche and settlement payments alike (PAYMENT_ALREADY_RECORDED)', () => {
    given(historyOf([settlementPayment('s1', '1.00', '2021-06-10')], owing())).when(settlementPayment('s1', '1.00', '2021-06-11'))
      .thenThrows('PAYMENT_ALREADY_RECORDED');
    given(owing()).when(settlementPayment('p1', '1.00', '2021-06-11')).thenThrows('PAYMENT_ALREADY_RECORDED');
  });

  it('R2: not dated before the end (DATE_TOO_EARLY)', () => {
    const error = given(owing()).when(settlementPayment('s1', '1.00', '2021-05-31')).thenThrows('DATE_TOO_EARLY');
    expect(error.details).toMatchObject({ field: 'paidOn', notBefore: '2021-06-01' });
  });

  it('R2: nothing when the funder owes nothing (NOTHING_OWED_TO_BENEFICIARY); nothing before the end (CONVENTION_NOT_ACTIVE)', () => {
    given(historyOf([close()], readyToClose())).when(settlementPayment('s1', '1.00', '2021-06-10')).thenThrows('NOTHING_OWED_TO_BENEFICIARY');
    given(activeSeed()).when(settlementPayment('s1', '1.00', '2021-06-10')).thenThrows('CONVENTION_NOT_ACTIVE');
  });

  it('R2: refuses an amount of zero (AMOUNT_NOT_POSITIVE)', () => {
    given(owing()).when(settlementPayment('s1', '0.00', '2021-06-10')).thenThrows('AMOUNT_NOT_POSITIVE', 'invalid');
  });

  it('R2/P1: after the end the funder pays by settlement, not on a tranche (CONVENTION_NOT_ACTIVE)', () => {
    const error = given(owing()).when(payment('p2', 1, '100000.00', '2021-06-10')).thenThrows('CONVENTION_NOT_ACTIVE');
    expect(error.message).toContain('settlement payment');
  });

  it('R2/X1: after a termination, once the figures are final, the funder pays the participation not received', () => {
    // 700,000 accepted and served by the termination, 400,000 received: 300,000 owed.
    const terminatedOwing = historyOf([
      ...acceptedExpense('e1', '700000.00', '2020-06-15'),
      payment('p1', 1, '400000.00', '2020-05-20'),
      termination('2020-07-01', { decidedBy: 'beneficiary', atFault: 'funder' }),
      ...signedStatement(1, '2020-06-30', true, '2020-07-05', '2020-07-01'),
    ], activeSeed());
    // Right after the end: nothing outstanding on the tranches beside the 300,000 owed; tranches 2 and 3 lapsed.
    const before = figuresOf(fold(terminatedOwing) as RegisteredConvention);
    expect([before.outstanding.toFixed(2), before.owedToBeneficiary.outstanding.toFixed(2), before.remainingCeiling.toFixed(2), before.tranches.map((t) => t.status)])
      .toEqual(['0.00', '300000.00', '300000.00', ['partially-paid', 'lapsed', 'lapsed']]);
    const { events, state } = given(historyOf([settlementPayment('s1', '250000.00', '2020-07-10')], terminatedOwing))
      .when(settlementPayment('s2', '50000.00', '2020-07-20')).thenOutcome();
    expect(events.map((e) => e.type)).toEqual(['SettlementPaid', 'ConventionSettled']);
    const after = figuresOf(state as RegisteredConvention);
    expect([after.received.toFixed(2), after.owedToBeneficiary.paid.toFixed(2), after.outstanding.toFixed(2)]).toEqual(['400000.00', '300000.00', '0.00']);
    given(terminatedOwing).when(settlementPayment('s1', '300000.01', '2020-07-10')).thenThrows('PAYMENT_EXCEEDS_AMOUNT_OWED');
  });
});
