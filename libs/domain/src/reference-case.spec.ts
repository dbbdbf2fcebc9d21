import { event, type ConventionEvent, type ConventionTookEffect, type TrancheFellDue } from './events';
import { fold } from './evolve';
import type { ConventionCommand } from './commands';
import { consumed, figuresOf, type RegisteredConvention } from './state';
import { eur, expense, signedStatement } from '../testing/builders';
import { seedRegistration, seedSignatures } from '../testing/seed-convention';
import { given, historyOf } from '../testing/specification';

/**
 * docs/domain-rules.md, "The reference case in numbers", replayed through decide and evolve only. Each test
 * replays the steps before it from nothing (the step lists below), so any test runs alone and in
 * any order.
 */
const SIGNED = (): ConventionCommand[] => [seedRegistration(), ...seedSignatures()];

const STATEMENT_1_SIGNED = (): ConventionCommand[] => [
  ...SIGNED(),
  { type: 'PayTranche', paymentId: 'pay-1', tranche: 1, amount: eur('800000.00'), paidOn: '2020-06-02' },
  ...expense('devops-1', '350000.00', { committedOn: '2020-05-15', serviceDoneOn: '2020-09-30', paidOn: '2020-10-15', acceptedOn: '2020-10-20' }, 'devops'),
  ...expense('design-1', '160000.50', { committedOn: '2020-06-01', serviceDoneOn: '2020-09-15', paidOn: '2020-10-01', acceptedOn: '2020-10-20' }, 'design'),
  ...expense('coaching-1', '100000.25', { committedOn: '2020-06-01', serviceDoneOn: '2020-10-01', paidOn: '2020-10-30', acceptedOn: '2020-11-02' }, 'coaching'),
  ...signedStatement(1, '2020-10-31', false, '2020-11-05', '2020-11-05'),
];

const TRANCHE_2_CALLED = (): ConventionCommand[] => [
  ...STATEMENT_1_SIGNED(),
  { type: 'IssueFundCall', tranche: 2, statement: 1, issuedOn: '2020-11-06' },
];

const CLOSED = (): ConventionCommand[] => [
  ...TRANCHE_2_CALLED(),
  { type: 'PayTranche', paymentId: 'pay-2', tranche: 2, amount: eur('400000.00'), paidOn: '2020-11-20' },
  ...expense('deployment-1', '50000.00', { committedOn: '2021-01-04', serviceDoneOn: '2021-03-31', paidOn: '2021-04-15', acceptedOn: '2021-05-20' }, 'deployment'),
  ...signedStatement(2, '2021-05-11', true, '2021-05-25', '2021-05-25'),
  { type: 'CloseConvention', on: '2021-06-01', statement: 2 },
];

const stateOf = (history: readonly ConventionEvent[]) => fold(history) as RegisteredConvention;

describe('Reference case: the ANCT-DINUM convention of 11 May 2020', () => {
  it('S1/S2: both signatures on 2020-05-11 → effective 2020-05-11, ends 2021-05-11, tranche 1 due', () => {
    given(historyOf([seedRegistration(), seedSignatures()[0]])).when(seedSignatures()[1]).then([
      event('ConventionSigned', { party: 'beneficiary', signatory: 'Nadi Bou Hanna', signedOn: '2020-05-11' }),
      event<ConventionTookEffect>('ConventionTookEffect', { effectiveOn: '2020-05-11', endsOn: '2021-05-11' }),
      event<TrancheFellDue>('TrancheFellDue', { tranche: 1, amount: '800000.00', dueOn: '2020-05-11', cause: 'signature' }),
    ]);
    const state = stateOf(historyOf(SIGNED()));
    expect(state.status).toBe('active');
    expect(figuresOf(state).due.toFixed(2)).toBe('800000.00');
  });

  it('F1: 610,000.75 accepted in signed statement 1 → tranche 2 can be called, tranche 3 cannot', () => {
    const history = historyOf(STATEMENT_1_SIGNED());
    const state = stateOf(history);
    expect(consumed(state).toFixed(2)).toBe('610000.75');
    expect(state.statements[0].cumulativeTotal.toFixed(2)).toBe('610000.75');

    given(history).when({ type: 'IssueFundCall', tranche: 3, statement: 1, issuedOn: '2020-11-06' }).thenThrows('TRANCHE_CALLED_OUT_OF_ORDER');
    const called = historyOf(TRANCHE_2_CALLED());
    const refusal = given(called).when({ type: 'IssueFundCall', tranche: 3, statement: 1, issuedOn: '2020-11-07' }).thenThrows('THRESHOLD_NOT_REACHED', 'rule');
    expect(refusal.message).toBe('Tranche 3 is released once 1000000.00 is consumed; statement 1 shows a cumulative total of 610000.75.');
  });

  it('C1: consumed 660,000.75 with 1,200,000.00 received → closure puts 539,999.25 to restitute', () => {
    const history = historyOf(CLOSED());
    const state = stateOf(history);
    expect(state.received.toFixed(2)).toBe('1200000.00');
    expect(consumed(state).toFixed(2)).toBe('660000.75');
    expect(history.at(-1)).toEqual(event('ConventionClosed', {
      on: '2021-06-01', statement: 2, consumed: '660000.75', participation: '660000.75', received: '1200000.00',
      restitutionDue: '539999.25', owedToBeneficiary: '0.00', lapsedTranches: [3],
    }));
    expect(state.status).toBe('closed');
    expect(figuresOf(state).restitution.outstanding.toFixed(2)).toBe('539999.25');
  });

  it('R1: restituting 539,999.25 in two parts settles the convention', () => {
    const history = historyOf([
      ...CLOSED(),
      { type: 'PayRestitution', restitutionId: 'rest-1', amount: eur('500000.00'), paidOn: '2021-07-01' },
      { type: 'PayRestitution', restitutionId: 'rest-2', amount: eur('39999.25'), paidOn: '2021-07-15' },
    ]);
    expect(history.at(-1)).toEqual(event('ConventionSettled', { on: '2021-07-15' }));
    expect(stateOf(history)).toMatchObject({ status: 'settled', settledOn: '2021-07-15' });
  });
});
