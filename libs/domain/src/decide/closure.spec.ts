import {
  event, type ConventionClosed, type ConventionSettled, type ConventionTerminated, type RestitutionPaid,
} from '../events';
import { acceptedExpense, activeSeed, eur, expense, payment, signedStatement } from '../../testing/builders';
import { given, historyOf } from '../../testing/specification';

/** 500,000 accepted, 800,000 received, final statement 1 signed. */
const readyToClose = () => historyOf([
  ...acceptedExpense('e1', '500000.00', '2021-03-01'),
  payment('p1', 1, '800000.00', '2020-05-20'),
  ...signedStatement(1, '2021-05-11', true, '2021-05-20'),
], activeSeed());
const close = (on = '2021-06-01', statement = 1) => ({ type: 'CloseConvention' as const, on, statement });
const restitution = (restitutionId: string, amount: string, paidOn: string) =>
  ({ type: 'PayRestitution' as const, restitutionId, amount: eur(amount), paidOn });

describe('C1: closure', () => {
  it('C1: closes on a valid final statement matching consumption; the unused money is to restitute', () => {
    given(readyToClose()).when(close()).then([event<ConventionClosed>('ConventionClosed', {
      on: '2021-06-01', statement: 1, consumed: '500000.00', received: '800000.00', restitutionDue: '300000.00',
    })]);
  });

  it('C1/R1: closing with nothing to restitute settles at once', () => {
    const history = historyOf([
      ...acceptedExpense('e1', '800000.00', '2021-03-01'),
      payment('p1', 1, '800000.00', '2020-05-20'),
      ...signedStatement(1, '2021-05-11', true),
    ], activeSeed());
    const { events, state } = given(history).when(close()).thenOutcome();
    expect(events).toEqual([
      event<ConventionClosed>('ConventionClosed', { on: '2021-06-01', statement: 1, consumed: '800000.00', received: '800000.00', restitutionDue: '0.00' }),
      event<ConventionSettled>('ConventionSettled', { on: '2021-06-01' }),
    ]);
    expect(state).toMatchObject({ status: 'settled', settledOn: '2021-06-01' });
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
    const history = historyOf([{ type: 'RejectExpense', expenseId: 'e1', on: '2021-05-25', reason: 'non conforme' }], readyToClose());
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

  it('C1/D3: an expense rejected after the final statement: a corrective final statement, then closure', () => {
    const history = historyOf([
      ...acceptedExpense('e2', '100000.00', '2021-03-02'),
      payment('p1', 1, '800000.00', '2020-05-20'),
      ...signedStatement(1, '2021-05-11', true, '2021-05-20'),
      { type: 'RejectExpense', expenseId: 'e2', on: '2021-05-25', reason: 'usage non conforme' },
      ...signedStatement(2, '2021-05-26', true, '2021-05-27'),
    ], historyOf(acceptedExpense('e1', '500000.00', '2021-03-01'), activeSeed()));
    given(history).when(close('2021-06-01', 1)).thenThrows('STATEMENT_NOT_LATEST');
    given(history).when(close('2021-06-01', 2)).then([event<ConventionClosed>('ConventionClosed', {
      on: '2021-06-01', statement: 2, consumed: '500000.00', received: '800000.00', restitutionDue: '300000.00',
    })]);
  });

  it('C1: refuses closure while due tranches are unpaid and consumption exceeds what was received (DUE_TRANCHES_UNPAID)', () => {
    // 900,000 consumed, tranche 1 (800,000) due but only 500,000 paid: the funder still owes 300,000.
    const history = historyOf([
      ...acceptedExpense('e1', '900000.00', '2021-03-01'),
      payment('p1', 1, '500000.00', '2020-05-20'),
      ...signedStatement(1, '2021-05-11', true, '2021-05-20'),
    ], activeSeed());
    const error = given(history).when(close()).thenThrows('DUE_TRANCHES_UNPAID', 'rule');
    expect(error.message).toContain('300000.00');
    expect(error.details).toMatchObject({ consumed: '900000.00', due: '800000.00', received: '500000.00', unpaid: '300000.00' });
    const paid = historyOf([payment('p2', 1, '300000.00', '2021-05-28')], history);
    expect(given(paid).when(close()).thenOutcome().events.map((e) => e.type)).toEqual(['ConventionClosed', 'ConventionSettled']);
  });

  it('C1: a due tranche left unpaid does not block closure when what was received covers consumption', () => {
    const history = historyOf([
      ...acceptedExpense('e1', '500000.00', '2021-03-01'),
      payment('p1', 1, '600000.00', '2020-05-20'),
      ...signedStatement(1, '2021-05-11', true, '2021-05-20'),
    ], activeSeed());
    given(history).when(close()).then([event<ConventionClosed>('ConventionClosed', {
      on: '2021-06-01', statement: 1, consumed: '500000.00', received: '600000.00', restitutionDue: '100000.00',
    })]);
  });

  it('C1: nothing but restitutions on a closed convention (CONVENTION_NOT_ACTIVE)', () => {
    const closed = historyOf([close()], readyToClose());
    given(closed).when({ type: 'CommitExpense', expenseId: 'x', category: 'devops', description: 'x', amount: eur('1'), committedOn: '2021-05-01' })
      .thenThrows('CONVENTION_NOT_ACTIVE');
    given(closed).when(payment('p2', 1, '1.00', '2021-06-02')).thenThrows('CONVENTION_NOT_ACTIVE');
    given(closed).when(close('2021-06-02')).thenThrows('CONVENTION_NOT_ACTIVE');
    given(closed).when({ type: 'TerminateConvention', on: '2021-06-02', reason: 'r', atFault: 'beneficiary' }).thenThrows('CONVENTION_NOT_ACTIVE');
  });
});

describe('X1: termination for fault', () => {
  const history = () => historyOf([
    ...expense('served', '300000.00', { committedOn: '2020-06-01', serviceDoneOn: '2020-06-20' }),
    ...expense('later', '200000.00', { committedOn: '2020-06-01', serviceDoneOn: '2020-07-20' }),
    ...expense('rejected', '50000.00', { committedOn: '2020-06-01', serviceDoneOn: '2020-06-20' }),
    { type: 'RejectExpense', expenseId: 'rejected', on: '2020-06-25', reason: 'r' },
    payment('p1', 1, '800000.00', '2020-05-20'),
  ], activeSeed());

  it('X1: participation is the service done by the termination date; the rest is to restitute', () => {
    given(history()).when({ type: 'TerminateConvention', on: '2020-07-01', reason: 'usage non conforme', atFault: 'beneficiary' })
      .then([event<ConventionTerminated>('ConventionTerminated', {
        on: '2020-07-01', reason: 'usage non conforme', atFault: 'beneficiary',
        dueParticipation: '300000.00', received: '800000.00', restitutionDue: '500000.00', owedToBeneficiary: '0.00',
      })]);
  });

  it('X1: when both amounts are zero the convention is settled at once', () => {
    const exact = historyOf([
      ...expense('e', '800000.00', { committedOn: '2020-06-01', serviceDoneOn: '2020-06-20' }),
      payment('p1', 1, '800000.00', '2020-05-20'),
    ], activeSeed());
    const { events } = given(exact).when({ type: 'TerminateConvention', on: '2020-07-01', reason: 'r', atFault: 'funder' }).thenOutcome();
    expect(events.map((e) => e.type)).toEqual(['ConventionTerminated', 'ConventionSettled']);
  });

  it('X1: refuses a termination before the convention took effect (DATE_TOO_EARLY)', () => {
    given(history()).when({ type: 'TerminateConvention', on: '2020-05-10', reason: 'r', atFault: 'beneficiary' }).thenThrows('DATE_TOO_EARLY');
  });

  it('X1: a reason is required (TEXT_REQUIRED)', () => {
    given(history()).when({ type: 'TerminateConvention', on: '2020-07-01', reason: '', atFault: 'beneficiary' }).thenThrows('TEXT_REQUIRED', 'invalid');
  });

  it('X1: only while active (CONVENTION_NOT_ACTIVE)', () => {
    const terminated = historyOf([{ type: 'TerminateConvention', on: '2020-07-01', reason: 'r', atFault: 'beneficiary' }], history());
    given(terminated).when({ type: 'TerminateConvention', on: '2020-07-02', reason: 'r', atFault: 'beneficiary' }).thenThrows('CONVENTION_NOT_ACTIVE');
    given(terminated).when({ type: 'DrawUpStatement', cutoff: '2020-07-31', final: true }).thenThrows('CONVENTION_NOT_ACTIVE');
  });
});

describe('R1: restitutions', () => {
  const closed = () => historyOf([close()], readyToClose());

  it('R1: records a partial restitution', () => {
    given(closed()).when(restitution('r1', '100000.00', '2021-06-15'))
      .then([event<RestitutionPaid>('RestitutionPaid', { restitutionId: 'r1', amount: '100000.00', paidOn: '2021-06-15' })]);
  });

  it('R1: the restitution that clears the balance settles the convention', () => {
    given(historyOf([restitution('r1', '100000.00', '2021-06-15')], closed())).when(restitution('r2', '200000.00', '2021-07-01')).then([
      event<RestitutionPaid>('RestitutionPaid', { restitutionId: 'r2', amount: '200000.00', paidOn: '2021-07-01' }),
      event<ConventionSettled>('ConventionSettled', { on: '2021-07-01' }),
    ]);
  });

  it('R1: never beyond what is outstanding (RESTITUTION_EXCEEDS_DUE)', () => {
    given(historyOf([restitution('r1', '100000.00', '2021-06-15')], closed())).when(restitution('r2', '200000.01', '2021-07-01'))
      .thenThrows('RESTITUTION_EXCEEDS_DUE');
  });

  it('R1: not dated before the closure (DATE_TOO_EARLY)', () => {
    given(closed()).when(restitution('r1', '1.00', '2021-05-31')).thenThrows('DATE_TOO_EARLY');
  });

  it('R1: refuses a restitution id already used (RESTITUTION_ALREADY_RECORDED)', () => {
    given(historyOf([restitution('r1', '1.00', '2021-06-15')], closed())).when(restitution('r1', '1.00', '2021-06-16'))
      .thenThrows('RESTITUTION_ALREADY_RECORDED');
  });

  it('R1: nothing to restitute on an active or a settled convention (NO_RESTITUTION_DUE)', () => {
    given(activeSeed()).when(restitution('r1', '1.00', '2021-06-15')).thenThrows('NO_RESTITUTION_DUE');
    const settled = historyOf([restitution('r1', '300000.00', '2021-06-15')], closed());
    given(settled).when(restitution('r2', '1.00', '2021-06-16')).thenThrows('NO_RESTITUTION_DUE');
  });

  it('R1/X1: after a termination, restitutions are paid from the termination date', () => {
    const terminated = historyOf([
      payment('p1', 1, '800000.00', '2020-05-20'),
      { type: 'TerminateConvention', on: '2020-07-01', reason: 'r', atFault: 'beneficiary' },
    ], activeSeed());
    const { events } = given(terminated).when(restitution('r1', '800000.00', '2020-07-01')).thenOutcome();
    expect(events.map((e) => e.type)).toEqual(['RestitutionPaid', 'ConventionSettled']);
  });

  it('R1: anything else on a settled convention is refused (CONVENTION_NOT_ACTIVE)', () => {
    const settled = historyOf([restitution('r1', '300000.00', '2021-06-15')], closed());
    given(settled).when({ type: 'RejectExpense', expenseId: 'e1', on: '2021-07-01', reason: 'r' }).thenThrows('CONVENTION_NOT_ACTIVE');
  });
});
