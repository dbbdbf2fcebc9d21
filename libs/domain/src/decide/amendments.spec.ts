import { event, type ConventionAmended, type TrancheFellDue } from '../events';
import { fold } from '../evolve';
import { figuresOf, termsInForceOn, type RegisteredConvention } from '../state';
import { acceptedExpense, activeSeed, eur, expense, payment, rejection, signedStatement } from '../../testing/builders';
import { SEED_BENEFICIARY, SEED_FUNDER, seedRegistration } from '../../testing/seed-convention';
import { given, historyOf } from '../../testing/specification';

const signatories = { funder: 'Yves Le Breton', beneficiary: 'Nadi Bou Hanna' };
const amend = (changes: object, signedOn = '2020-12-01') => ({ type: 'AmendConvention' as const, signedOn, signatories, changes });
/** What every ConventionAmended carries besides the ceiling, duration and tranches: the other terms in force after it (v2). */
const unchangedParties = { expenseCategories: ['devops', 'design', 'deployment', 'coaching'], funder: SEED_FUNDER, beneficiary: SEED_BENEFICIARY };
/** A RIB whose key verifies: 30002 00550 0000157841Z, key 25 (IBAN FR76 3000 2005 5000 0015 7841 Z25). */
const NEW_ACCOUNT = { bankCode: '30002', branchCode: '00550', accountNumber: '0000157841Z', key: '25' };

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
      ...unchangedParties,
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
        ...unchangedParties,
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

  it('A2 (v2): the new ceiling holds what is committed on every date from the amendment on (CEILING_BELOW_COMMITTED_OR_RECEIVED)', () => {
    const lower = { ceiling: eur('850000'), tranches: [{ amount: eur('50000'), release: { on: 'signature' } }] };
    // 900,000 committed on 2021-01-10, recorded before an amendment dated 2020-12-01.
    const later = historyOf(expense('e1', '900000.00', { committedOn: '2021-01-10' }), activeSeed());
    const error = given(later).when(amend(lower, '2020-12-01')).thenThrows('CEILING_BELOW_COMMITTED_OR_RECEIVED');
    expect(error.details).toMatchObject({ ceiling: '850000.00', committed: '900000.00' });
    // Committed on 2020-06-01 and rejected on 2020-11-01: nothing committed from 2020-12-01 on, refused from 2020-10-01.
    const rejected = historyOf([...expense('e1', '900000.00', { committedOn: '2020-06-01' }), rejection('e1', '2020-11-01')], activeSeed());
    expect(given(rejected).when(amend(lower, '2020-12-01')).thenOutcome().events[0].type).toBe('ConventionAmended');
    given(rejected).when(amend(lower, '2020-10-01')).thenThrows('CEILING_BELOW_COMMITTED_OR_RECEIVED');
  });

  it('A2 (v2): replaces the eligible categories from its date on', () => {
    const { events, state } = given(activeSeed()).when(amend({ expenseCategories: ['devops', 'hosting', 'devops'] }, '2020-09-01')).thenOutcome();
    expect((events[0] as ConventionAmended).data).toMatchObject({ changes: { expenseCategories: ['devops', 'hosting'] }, expenseCategories: ['devops', 'hosting'] });
    const convention = state as RegisteredConvention;
    expect(convention.expenseCategories).toEqual(['devops', 'hosting']);
    expect(termsInForceOn(convention, '2020-08-31').expenseCategories).toEqual(['devops', 'design', 'deployment', 'coaching']);
    given(activeSeed()).when(amend({ expenseCategories: [' '] }, '2020-09-01')).thenThrows('TEXT_REQUIRED', 'invalid');
  });

  it('A3 (v2): new categories must still admit the expenses committed from the amendment date on (CATEGORY_NOT_ELIGIBLE)', () => {
    const history = historyOf([...expense('e1', '1000.00', { committedOn: '2021-01-10' }, 'coaching'), ...expense('e2', '1000.00', { committedOn: '2020-06-01' }, 'design')], activeSeed());
    const error = given(history).when(amend({ expenseCategories: ['devops'] }, '2020-12-01')).thenThrows('CATEGORY_NOT_ELIGIBLE', 'rule');
    expect(error.rule).toBe('A3');
    expect(error.details).toEqual({ expenseId: 'e1', category: 'coaching', committedOn: '2021-01-10', eligible: ['devops'] });
    // e2, committed before the amendment, stays under the terms of its date.
    expect(given(history).when(amend({ expenseCategories: ['devops'] }, '2021-01-11')).thenOutcome().events).toHaveLength(1);
    // A rejected expense counts for nothing (E3).
    const rejected = historyOf([rejection('e1', '2021-01-20')], history);
    expect(given(rejected).when(amend({ expenseCategories: ['devops'] }, '2020-12-01')).thenOutcome().events).toHaveLength(1);
    // An empty list makes every category eligible.
    expect(given(history).when(amend({ expenseCategories: [] }, '2020-12-01')).thenOutcome().events).toHaveLength(1);
  });

  it('A2 (v2): changes a party\'s representative; the rest of the party stays', () => {
    const { events, state } = given(activeSeed()).when(amend({ beneficiary: { representative: 'Stéphanie Schaer' } })).thenOutcome();
    expect((events[0] as ConventionAmended).data).toMatchObject({
      changes: { beneficiary: { representative: 'Stéphanie Schaer' } },
      beneficiary: { ...SEED_BENEFICIARY, representative: 'Stéphanie Schaer' }, funder: SEED_FUNDER,
    });
    expect((state as RegisteredConvention).beneficiary).toEqual({ ...SEED_BENEFICIARY, representative: 'Stéphanie Schaer' });
    expect(termsInForceOn(state as RegisteredConvention, '2020-11-30').beneficiary.representative).toBe('Nadi Bou Hanna');
  });

  it('A2 (v2): changes a party\'s bank account, verified like at registration, recording only its known fields', () => {
    const bankAccount = { ...NEW_ACCOUNT, holder: 'DRFIP Paris', iban: 'ignored', note: 'ignored' };
    const { events } = given(activeSeed()).when(amend({ funder: { bankAccount } })).thenOutcome();
    const data = (events[0] as ConventionAmended).data;
    expect(data.changes).toEqual({ funder: { bankAccount: { ...NEW_ACCOUNT, holder: 'DRFIP Paris' } } });
    expect(data.funder).toEqual({ ...SEED_FUNDER, bankAccount: { ...NEW_ACCOUNT, holder: 'DRFIP Paris' } });
  });

  it('A2 (v2): refuses a bank account whose RIB key does not verify (INVALID_RIB_KEY) or that is malformed (INVALID_RIB_FORMAT)', () => {
    const error = given(activeSeed()).when(amend({ funder: { bankAccount: { ...NEW_ACCOUNT, key: '26' } } })).thenThrows('INVALID_RIB_KEY', 'invalid');
    expect(error.details).toEqual({ field: 'changes.funder.bankAccount' });
    given(activeSeed()).when(amend({ beneficiary: { bankAccount: { ...NEW_ACCOUNT, branchCode: '550' } } })).thenThrows('INVALID_RIB_FORMAT', 'invalid');
  });

  it('A2 (v2): a party change must change something (MALFORMED_COMMAND); a new representative is not blank (TEXT_REQUIRED)', () => {
    given(activeSeed()).when(amend({ funder: {} })).thenThrows('MALFORMED_COMMAND', 'invalid');
    given(activeSeed()).when(amend({ funder: { representative: ' ' } })).thenThrows('TEXT_REQUIRED', 'invalid');
  });

  it('A3: figures show the ceiling in force on each date, and now the amended one', () => {
    const state = fold(historyOf([amend({ ceiling: eur('2000000'), tranches: [
      { amount: eur('400000'), release: { on: 'consumption', threshold: eur('600000') } },
      { amount: eur('800000'), release: { on: 'consumption', threshold: eur('1000000') } },
    ] })], activeSeed())) as RegisteredConvention;
    expect(figuresOf(state, '2020-11-30').ceiling.toFixed(2)).toBe('1600000.00');
    expect(figuresOf(state, '2020-12-01').ceiling.toFixed(2)).toBe('2000000.00');
    expect(figuresOf(state).ceiling.toFixed(2)).toBe('2000000.00');
    expect(figuresOf(state).tranches.map((t) => t.amount.toFixed(2))).toEqual(['800000.00', '400000.00', '800000.00']);
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
