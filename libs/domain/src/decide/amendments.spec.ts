import { event, type ConventionAmended, type TrancheFellDue } from '../events';
import type { RegisteredConvention } from '../state';
import { acceptedExpense, activeSeed, eur, expense, payment, signedStatement } from '../../testing/builders';
import { seedRegistration } from '../../testing/seed-convention';
import { given, historyOf } from '../../testing/specification';

const signatories = { funder: 'Yves Le Breton', beneficiary: 'Nadi Bou Hanna' };
const amend = (changes: object, signedOn = '2020-12-01') => ({ type: 'AmendConvention' as const, signedOn, signatories, changes });

describe('A1-A3: amendments', () => {
  it('A2/A3: extends the duration; the period end is recomputed from the effective date', () => {
    given(activeSeed()).when(amend({ durationMonths: 18 })).then([event<ConventionAmended>('ConventionAmended', {
      number: 1, signedOn: '2020-12-01', signatories,
      changes: { durationMonths: 18 },
      ceiling: '1600000.00', durationMonths: 18,
      tranches: [
        { number: 1, amount: '800000.00', release: { on: 'signature' } },
        { number: 2, amount: '400000.00', release: { on: 'consumption', threshold: '600000.00' } },
        { number: 3, amount: '400000.00', release: { on: 'consumption', threshold: '1000000.00' } },
      ],
      endsOn: '2021-11-11',
    })]);
  });

  it('A2: raises the ceiling with a new schedule of the tranches not yet due, numbered after the due ones', () => {
    const { events, state } = given(activeSeed()).when(amend({
      ceiling: eur('1800000'),
      tranches: [
        { amount: eur('200000'), release: { on: 'signature' } },
        { amount: eur('800000'), release: { on: 'consumption', threshold: eur('900000') } },
      ],
    })).thenOutcome();
    expect(events).toEqual([
      event<ConventionAmended>('ConventionAmended', {
        number: 1, signedOn: '2020-12-01', signatories,
        changes: {
          ceiling: '1800000.00',
          tranches: [
            { number: 2, amount: '200000.00', release: { on: 'signature' } },
            { number: 3, amount: '800000.00', release: { on: 'consumption', threshold: '900000.00' } },
          ],
        },
        ceiling: '1800000.00', durationMonths: 12,
        tranches: [
          { number: 1, amount: '800000.00', release: { on: 'signature' } },
          { number: 2, amount: '200000.00', release: { on: 'signature' } },
          { number: 3, amount: '800000.00', release: { on: 'consumption', threshold: '900000.00' } },
        ],
        endsOn: '2021-05-11',
      }),
      event<TrancheFellDue>('TrancheFellDue', { tranche: 2, amount: '200000.00', dueOn: '2020-12-01', cause: 'signature' }),
    ]);
    const tranches = (state as RegisteredConvention).tranches;
    expect(tranches.map((t) => [t.number, t.dueOn ?? null])).toEqual([[1, '2020-05-11'], [2, '2020-12-01'], [3, null]]);
  });

  it('A3: tranches already due keep their payments across an amendment', () => {
    const history = historyOf([payment('p1', 1, '800000.00', '2020-05-20')], activeSeed());
    const { state } = given(history).when(amend({ durationMonths: 24 })).thenOutcome();
    expect((state as RegisteredConvention).tranches[0].paid.toFixed(2)).toBe('800000.00');
  });

  it('A2: numbers amendments 1, 2', () => {
    const { events } = given(historyOf([amend({ durationMonths: 18 })], activeSeed())).when(amend({ durationMonths: 24 }, '2021-01-01')).thenOutcome();
    expect((events[0] as ConventionAmended).data.number).toBe(2);
  });

  it('A2: refuses a ceiling change alone when the schedule no longer sums (TRANCHES_DO_NOT_SUM_TO_CEILING)', () => {
    given(activeSeed()).when(amend({ ceiling: eur('1700000') })).thenThrows('TRANCHES_DO_NOT_SUM_TO_CEILING');
  });

  it('A2: refuses a ceiling below what is committed (CEILING_BELOW_COMMITTED_OR_RECEIVED)', () => {
    const history = historyOf(expense('e1', '900000.00', { committedOn: '2020-06-01' }), activeSeed());
    given(history).when(amend({ ceiling: eur('850000'), tranches: [{ amount: eur('50000'), release: { on: 'signature' } }] }))
      .thenThrows('CEILING_BELOW_COMMITTED_OR_RECEIVED');
  });

  it('A2: refuses a ceiling below what is received (CEILING_BELOW_COMMITTED_OR_RECEIVED)', () => {
    const history = historyOf([
      ...acceptedExpense('e1', '610000.00', '2020-06-01'),
      ...signedStatement(1, '2020-06-30', false),
      { type: 'IssueFundCall', tranche: 2, statement: 1, issuedOn: '2020-07-01' },
      payment('p1', 1, '800000.00', '2020-07-01'),
      payment('p2', 2, '400000.00', '2020-07-02'),
    ], activeSeed());
    given(history).when(amend({ ceiling: eur('1100000'), tranches: [] })).thenThrows('CEILING_BELOW_COMMITTED_OR_RECEIVED');
  });

  it('A2: thresholds follow the registration rules (THRESHOLDS_NOT_INCREASING)', () => {
    given(activeSeed()).when(amend({
      tranches: [
        { amount: eur('400000'), release: { on: 'consumption', threshold: eur('700000') } },
        { amount: eur('400000'), release: { on: 'consumption', threshold: eur('700000') } },
      ],
    })).thenThrows('THRESHOLDS_NOT_INCREASING');
  });

  it('A2: refuses an amendment that changes nothing (EMPTY_AMENDMENT)', () => {
    given(activeSeed()).when(amend({})).thenThrows('EMPTY_AMENDMENT');
  });

  it('A1: only on an active convention (CONVENTION_NOT_ACTIVE)', () => {
    given(historyOf([seedRegistration()])).when(amend({ durationMonths: 18 })).thenThrows('CONVENTION_NOT_ACTIVE');
  });

  it('A1: not dated before the convention took effect (DATE_TOO_EARLY)', () => {
    given(activeSeed()).when(amend({ durationMonths: 18 }, '2020-05-10')).thenThrows('DATE_TOO_EARLY');
  });

  it('A1: signed by both parties (TEXT_REQUIRED)', () => {
    given(activeSeed()).when({ type: 'AmendConvention', signedOn: '2020-12-01', signatories: { funder: 'Y', beneficiary: '' }, changes: { durationMonths: 18 } })
      .thenThrows('TEXT_REQUIRED', 'invalid');
  });

  it('A3: refuses a duration whose period would end before the amendment (PERIOD_ENDS_BEFORE_AMENDMENT)', () => {
    given(activeSeed()).when(amend({ durationMonths: 3 }, '2020-12-01')).thenThrows('PERIOD_ENDS_BEFORE_AMENDMENT');
  });

  it('A1/A3: refuses an amendment dated after the period has ended (AMENDMENT_AFTER_PERIOD_END)', () => {
    const error = given(activeSeed()).when(amend({ durationMonths: 18 }, '2021-05-12')).thenThrows('AMENDMENT_AFTER_PERIOD_END', 'rule');
    expect(error.details).toMatchObject({ signedOn: '2021-05-12', endsOn: '2021-05-11' });
    expect(given(activeSeed()).when(amend({ durationMonths: 18 }, '2021-05-11')).thenOutcome().events).toHaveLength(1);
  });

  it('A1: refuses an amendment dated before the previous one (DATE_TOO_EARLY)', () => {
    const history = historyOf([amend({ durationMonths: 18 }, '2020-12-01')], activeSeed());
    const error = given(history).when(amend({ durationMonths: 24 }, '2020-11-30')).thenThrows('DATE_TOO_EARLY');
    expect(error.details).toMatchObject({ notBefore: '2020-12-01' });
  });

  it('A3: refuses a shorter period that would leave a recorded expense date outside it (PERIOD_ENDS_BEFORE_RECORDED_EXPENSE)', () => {
    // Ten months end on 2021-03-11; expense e1 was paid on 2021-04-01.
    const history = historyOf(expense('e1', '1000.00', { committedOn: '2021-02-01', serviceDoneOn: '2021-03-01', paidOn: '2021-04-01' }), activeSeed());
    const error = given(history).when(amend({ durationMonths: 10 }, '2021-03-01')).thenThrows('PERIOD_ENDS_BEFORE_RECORDED_EXPENSE', 'rule');
    expect(error.details).toMatchObject({ endsOn: '2021-03-11', expenseId: 'e1', date: '2021-04-01' });
    expect(given(history).when(amend({ durationMonths: 11 }, '2021-03-01')).thenOutcome().events[0].data).toMatchObject({ endsOn: '2021-04-11' });
  });

  it('A3: a shorter period bounds the expense dates recorded after the amendment', () => {
    const history = historyOf([amend({ durationMonths: 10 }, '2021-03-01')], activeSeed());
    given(history).when({ type: 'CommitExpense', expenseId: 'late', category: 'devops', description: 'x', amount: eur('1'), committedOn: '2021-03-12' })
      .thenThrows('DATE_OUTSIDE_PERIOD');
  });

  it('A2/T3: thresholds are checked against the amended ceiling (THRESHOLD_OUT_OF_RANGE)', () => {
    given(activeSeed()).when(amend({ ceiling: eur('1000000'), tranches: [{ amount: eur('200000'), release: { on: 'consumption', threshold: eur('1000000.01') } }] }))
      .thenThrows('THRESHOLD_OUT_OF_RANGE');
  });

  it('A2/E4: after a lower ceiling, commitments are held to the amended ceiling', () => {
    const history = historyOf([amend({ ceiling: eur('1000000'), tranches: [{ amount: eur('200000'), release: { on: 'consumption', threshold: eur('600000') } }] })], activeSeed());
    given(history).when({ type: 'CommitExpense', expenseId: 'e', category: 'devops', description: 'x', amount: eur('1000000.01'), committedOn: '2020-12-02' })
      .thenThrows('CEILING_EXCEEDED');
    expect(given(history).when({ type: 'CommitExpense', expenseId: 'e', category: 'devops', description: 'x', amount: eur('1000000.00'), committedOn: '2020-12-02' })
      .thenOutcome().events).toHaveLength(1);
  });

  it('A2/P1: an amendment replacing the schedule keeps a called, partly paid tranche and its payments', () => {
    const history = historyOf([
      ...acceptedExpense('e1', '610000.00', '2020-06-01'),
      ...signedStatement(1, '2020-06-30', false),
      { type: 'IssueFundCall', tranche: 2, statement: 1, issuedOn: '2020-07-01' },
      payment('p1', 2, '150000.00', '2020-07-02'),
    ], activeSeed());
    const { state } = given(history).when(amend({ tranches: [{ amount: eur('400000'), release: { on: 'consumption', threshold: eur('1200000') } }] })).thenOutcome();
    const tranches = (state as RegisteredConvention).tranches;
    expect(tranches.map((t) => [t.number, t.amount.toFixed(2), t.paid.toFixed(2), t.dueOn ?? null]))
      .toEqual([[1, '800000.00', '0.00', '2020-05-11'], [2, '400000.00', '150000.00', '2020-07-01'], [3, '400000.00', '0.00', null]]);
    given(historyOf([amend({ durationMonths: 18 })], history)).when(payment('p2', 2, '250000.01', '2020-12-02')).thenThrows('TRANCHE_OVERPAID');
  });

  it('A3: a longer period admits expenses up to the new end date', () => {
    const history = historyOf([amend({ durationMonths: 18 })], activeSeed());
    expect(given(history).when({ type: 'CommitExpense', expenseId: 'late', category: 'devops', description: 'x', amount: eur('1'), committedOn: '2021-11-11' })
      .thenOutcome().events).toHaveLength(1);
  });
});
