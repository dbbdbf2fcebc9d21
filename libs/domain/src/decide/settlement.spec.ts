import {
  event, type ConventionEvent, type ConventionSettled, type ExpenseRejected, type RestitutionPaid, type SettlementPaid, type SettlementReopened,
} from '../events';
import { fold } from '../evolve';
import { figuresAsOf } from '../figures';
import { figuresOf, ledgerFactsOf, type RegisteredConvention } from '../state';
import {
  acceptedExpense, activeSeed, closure, expense, payment, rejection, restitution, settlementPayment, signedStatement, termination,
} from '../../testing/builders';
import { given, historyOf } from '../../testing/specification';

/** Closed on 2021-06-01: 500,000.00 consumed, 800,000.00 received, 300,000.00 to restitute. */
const closedOwingRestitution = () => historyOf([
  ...acceptedExpense('e1', '500000.00', '2021-03-01'),
  payment('p1', 1, '800000.00', '2020-05-20'),
  ...signedStatement(1, '2021-05-11', true, '2021-05-20'),
  closure('2021-06-01'),
], activeSeed());

/**
 * R1: settled on the date from which nothing is owed either way (the latest business date of
 * any fact recorded). Payments are recorded out of date order; the settlement is not dated
 * before a payment it needed (balances as of that date would show a settled convention with
 * money still outstanding).
 */
describe('R1: the settlement date', () => {
  it('R1: after closure, a last restitution dated before an earlier-recorded one settles on the later date', () => {
    const history = historyOf([restitution('r1', '200000.00', '2021-09-01')], closedOwingRestitution());
    given(history).when(restitution('r2', '100000.00', '2021-07-01')).then([
      event<RestitutionPaid>('RestitutionPaid', { restitutionId: 'r2', amount: '100000.00', paidOn: '2021-07-01' }),
      event<ConventionSettled>('ConventionSettled', { on: '2021-09-01' }),
    ]);
  });

  it('R1/R2: after termination, the funder\'s last settlement payment dated before an earlier-recorded one settles on the later date', () => {
    // 900,000.00 accepted and served by the termination, 800,000.00 received: 100,000.00 owed; 60,000.00 paid on 2021-02-01.
    const history: ConventionEvent[] = historyOf([
      payment('p1', 1, '800000.00', '2020-05-20'),
      ...acceptedExpense('e1', '900000.00', '2020-07-01'),
      termination('2020-12-15'),
      ...signedStatement(1, '2020-12-15', true, '2020-12-20'),
      settlementPayment('s1', '60000.00', '2021-02-01'),
    ], activeSeed());
    given(history).when(settlementPayment('s2', '40000.00', '2021-01-10')).then([
      event<SettlementPaid>('SettlementPaid', { paymentId: 's2', amount: '40000.00', paidOn: '2021-01-10' }),
      event<ConventionSettled>('ConventionSettled', { on: '2021-02-01' }),
    ]);
  });

  it('R1/E3: a rejection dated before the termination settles on the latest fact, not on the rejection date', () => {
    // 800,000.00 received, 900,000.00 served: 100,000.00 owed until e2 is found ineligible.
    const history = historyOf([
      payment('p1', 1, '800000.00', '2020-05-20'),
      ...acceptedExpense('e1', '800000.00', '2020-07-01'),
      ...acceptedExpense('e2', '100000.00', '2020-07-01'),
      termination('2020-12-15'),
      ...signedStatement(1, '2020-12-15', true, '2020-12-16'),
    ], activeSeed());
    const { events, state } = given(history).when(rejection('e2', '2020-11-01', 'ineligible')).thenOutcome();
    expect(events.at(-1)).toEqual(event<ConventionSettled>('ConventionSettled', { on: '2020-12-16' }));
    expect(state).toMatchObject({ status: 'settled', settledOn: '2020-12-16' });
  });

  it('R1: as of its settlement date and later, a convention shows settled with nothing owed', () => {
    const history = historyOf([restitution('r1', '200000.00', '2021-09-01'), restitution('r2', '100000.00', '2021-07-01')], closedOwingRestitution());
    const state = fold(history) as RegisteredConvention;
    for (const asOf of [state.settledOn!, '2022-01-01', undefined]) {
      const figures = figuresAsOf(ledgerFactsOf(state), asOf);
      expect([figures.status, figures.restitution.outstanding.toFixed(2), figures.owedToBeneficiary.outstanding.toFixed(2)]).toEqual(['settled', '0.00', '0.00']);
    }
    expect(figuresAsOf(ledgerFactsOf(state), '2021-08-31').status).toBe('closed');
  });
});

describe('R1 (v2): a restitution is bounded below by the end date only', () => {
  it('R1: after a termination, a rejection dated 12-01 recorded first does not make a restitution paid on 10-20 too early', () => {
    // Terminated on 2020-09-15 with 500,000.00 accepted and 800,000.00 received: 300,000.00 to give back,
    // paid back on 2020-10-20; the rejection found later (dated 2020-12-01) is recorded first.
    const history = historyOf([
      payment('p1', 1, '800000.00', '2020-05-20'),
      ...acceptedExpense('e1', '400000.00', '2020-06-01'),
      ...acceptedExpense('e2', '100000.00', '2020-06-01'),
      termination('2020-09-15'),
      ...signedStatement(1, '2020-09-15', true, '2020-09-30'),
      rejection('e2', '2020-12-01', 'prestation fictive', 'TP-2020-77'),
    ], activeSeed());
    given(history).when(restitution('r1', '300000.00', '2020-10-20'))
      .then([event<RestitutionPaid>('RestitutionPaid', { restitutionId: 'r1', amount: '300000.00', paidOn: '2020-10-20' })]);
    given(history).when(restitution('r1', '300000.00', '2020-09-14')).thenThrows('DATE_TOO_EARLY');
  });
});

describe('E3/R1 (v2): late rejections after the end', () => {
  it('E3: after closure, a rejection of an accepted expense raises the restitution due; it may quote the recovery order', () => {
    const { events, state } = given(closedOwingRestitution()).when(rejection('e1', '2021-09-01', 'usage non conforme', 'TP-2021-12')).thenOutcome();
    expect(events).toEqual([event<ExpenseRejected>('ExpenseRejected', {
      expenseId: 'e1', on: '2021-09-01', reason: 'usage non conforme', atStep: 'accepted', recoveryOrder: 'TP-2021-12',
    })]);
    const figures = figuresOf(state as RegisteredConvention);
    expect([figures.participation!.toFixed(2), figures.restitution.due.toFixed(2), figures.status]).toEqual(['0.00', '800000.00', 'closed']);
  });

  it('E3: after closure, a rejection that leaves nothing owed either way settles the convention', () => {
    // 900,000.00 consumed, 800,000.00 received: 100,000.00 owed to the beneficiary until e2 is rejected.
    const history = historyOf([
      ...acceptedExpense('e1', '800000.00', '2021-03-01'),
      ...acceptedExpense('e2', '100000.00', '2021-03-01'),
      payment('p1', 1, '800000.00', '2020-05-20'),
      ...signedStatement(1, '2021-05-11', true, '2021-05-20'),
      closure('2021-06-01'),
    ], activeSeed());
    given(history).when(rejection('e2', '2021-07-01')).then([
      event<ExpenseRejected>('ExpenseRejected', { expenseId: 'e2', on: '2021-07-01', reason: 'dépense inéligible', atStep: 'accepted' }),
      event<ConventionSettled>('ConventionSettled', { on: '2021-07-01' }),
    ]);
  });

  it('E3/R1: a late rejection on a settled convention makes restitution due again: SettlementReopened, then a restitution settles it again', () => {
    const settled = historyOf([restitution('r1', '300000.00', '2021-07-01')], closedOwingRestitution());
    expect(fold(settled)).toMatchObject({ status: 'settled' });
    const { events, state } = given(settled).when(rejection('e1', '2022-01-10', 'usage non conforme', 'TP-2022-1')).thenOutcome();
    expect(events).toEqual([
      event<ExpenseRejected>('ExpenseRejected', {
        expenseId: 'e1', on: '2022-01-10', reason: 'usage non conforme', atStep: 'accepted', recoveryOrder: 'TP-2022-1',
      }),
      event<SettlementReopened>('SettlementReopened', { on: '2022-01-10', expenseId: 'e1', restitutionOutstanding: '500000.00' }),
    ]);
    expect(state).toMatchObject({ status: 'closed' });
    expect(state).not.toHaveProperty('settledOn');
    const reopened = historyOf([rejection('e1', '2022-01-10', 'usage non conforme')], settled);
    given(reopened).when(restitution('r2', '500000.00', '2022-02-01')).then([
      event<RestitutionPaid>('RestitutionPaid', { restitutionId: 'r2', amount: '500000.00', paidOn: '2022-02-01' }),
      event<ConventionSettled>('ConventionSettled', { on: '2022-02-01' }),
    ]);
  });

  it('E3: a late rejection that changes no figure leaves a settled convention settled', () => {
    const settled = historyOf([
      ...acceptedExpense('e1', '500000.00', '2021-03-01'),
      ...expense('idle', '1.00', { committedOn: '2021-03-01' }),
      payment('p1', 1, '500000.00', '2020-05-20'),
      ...signedStatement(1, '2021-05-11', true, '2021-05-20'),
      closure('2021-06-01'),
    ], activeSeed());
    expect(fold(settled)).toMatchObject({ status: 'settled' });
    given(settled).when(rejection('idle', '2021-07-01')).then([
      event<ExpenseRejected>('ExpenseRejected', { expenseId: 'idle', on: '2021-07-01', reason: 'dépense inéligible', atStep: 'committed' }),
    ]);
  });

  it('E3/R2: a late rejection after a settlement payment shows the excess as restitution due', () => {
    const paid = historyOf([
      ...acceptedExpense('e1', '800000.00', '2021-03-01'),
      ...acceptedExpense('e2', '100000.00', '2021-03-01'),
      payment('p1', 1, '800000.00', '2020-05-20'),
      ...signedStatement(1, '2021-05-11', true, '2021-05-20'),
      closure('2021-06-01'),
      settlementPayment('s1', '100000.00', '2021-06-15'),
    ], activeSeed());
    const { events, state } = given(paid).when(rejection('e2', '2021-09-01')).thenOutcome();
    expect(events.at(-1)).toEqual(event<SettlementReopened>('SettlementReopened', { on: '2021-09-01', expenseId: 'e2', restitutionOutstanding: '100000.00' }));
    const figures = figuresOf(state as RegisteredConvention);
    expect([figures.restitution.due.toFixed(2), figures.owedToBeneficiary.outstanding.toFixed(2)]).toEqual(['100000.00', '0.00']);
  });

  it('E3/X1: after a termination, a rejection lowers the participation, whether the figures are final or not', () => {
    const terminated = historyOf([
      payment('p1', 1, '800000.00', '2020-05-20'),
      ...acceptedExpense('e1', '500000.00', '2020-06-01'),
      termination('2020-07-01'),
    ], activeSeed());
    const provisional = given(terminated).when(rejection('e1', '2020-07-15')).thenOutcome();
    expect(provisional.events.map((e) => e.type)).toEqual(['ExpenseRejected']);
    expect(figuresOf(provisional.state as RegisteredConvention)).toMatchObject({ provisional: true });
    expect(figuresOf(provisional.state as RegisteredConvention).restitution.due.toFixed(2)).toBe('800000.00');
  });
});
