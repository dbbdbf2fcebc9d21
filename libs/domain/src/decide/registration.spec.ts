import { event, type ConventionRegistered } from '../events';
import { eur } from '../../testing/builders';
import { SEED_CONVENTION_ID, seedRegistration } from '../../testing/seed-convention';
import { given, historyOf } from '../../testing/specification';

const registeredSeed = () => historyOf([seedRegistration()]);

describe('T1-T4: registering a convention', () => {
  it('T1-T4: records the seed convention with its terms as text', () => {
    given([]).when(seedRegistration()).then([event<ConventionRegistered>('ConventionRegistered', {
      conventionId: SEED_CONVENTION_ID,
      reference: 'ANCT-DINUM-2020',
      title: seedRegistration().title,
      funder: seedRegistration().funder,
      beneficiary: seedRegistration().beneficiary,
      ceiling: '1600000.00',
      durationMonths: 12,
      tranches: [
        { number: 1, amount: '800000.00', release: { on: 'signature' } },
        { number: 2, amount: '400000.00', release: { on: 'consumption', threshold: '600000.00' } },
        { number: 3, amount: '400000.00', release: { on: 'consumption', threshold: '1000000.00' } },
      ],
      expenseCategories: ['devops', 'design', 'deployment', 'coaching'],
      budget: { fondsDeConcours: '1-2-00548', programme: '352', bop: 'DINUM (0352-CFSE)' },
    })]);
  });

  it('T4: no category list means any category is eligible (recorded as an empty list)', () => {
    const { events } = given([]).when(seedRegistration(undefined, { expenseCategories: undefined })).thenOutcome();
    expect((events[0] as ConventionRegistered).data.expenseCategories).toEqual([]);
  });

  it('T1: refuses a second registration on the same stream (CONVENTION_ALREADY_REGISTERED)', () => {
    given(registeredSeed()).when(seedRegistration()).thenThrows('CONVENTION_ALREADY_REGISTERED', 'rule');
  });

  it('T1: refuses a party whose RIB key does not verify (INVALID_RIB_KEY, invalid)', () => {
    const funder = { ...seedRegistration().funder, bankAccount: { ...seedRegistration().funder.bankAccount, key: '88' } };
    const error = given([]).when(seedRegistration(undefined, { funder })).thenThrows('INVALID_RIB_KEY', 'invalid');
    expect(error.rule).toBe('T1');
    expect(error.details).toEqual({ field: 'funder.bankAccount' });
  });

  it('T1: refuses a malformed RIB (INVALID_RIB_FORMAT)', () => {
    const beneficiary = { ...seedRegistration().beneficiary, bankAccount: { ...seedRegistration().beneficiary.bankAccount, bankCode: '300' } };
    given([]).when(seedRegistration(undefined, { beneficiary })).thenThrows('INVALID_RIB_FORMAT', 'invalid');
  });

  it('T2: refuses a ceiling of zero (AMOUNT_NOT_POSITIVE)', () => {
    given([]).when(seedRegistration(undefined, { ceiling: eur('0') })).thenThrows('AMOUNT_NOT_POSITIVE', 'invalid');
  });

  it('M1: refuses an amount with more than two decimals (INVALID_AMOUNT)', () => {
    given([]).when(seedRegistration(undefined, { ceiling: eur('1600000.001') })).thenThrows('INVALID_AMOUNT', 'invalid');
  });

  it('M1: refuses an amount too large to be stored and summed to the cent (INVALID_AMOUNT)', () => {
    // Stored money has at most 15 integer digits; beyond, the event could not be replayed and
    // sums would round (decimal.js keeps 20 significant digits).
    const huge = eur('1000000000000000');
    given([]).when(seedRegistration(undefined, { ceiling: huge, tranches: [{ amount: huge, release: { on: 'signature' } }] }))
      .thenThrows('INVALID_AMOUNT', 'invalid');
    const almost = eur('999999999999999.99');
    expect(given([]).when(seedRegistration(undefined, { ceiling: almost, tranches: [{ amount: almost, release: { on: 'signature' } }] }))
      .thenOutcome().events).toHaveLength(1);
  });

  it('T3: refuses tranches that do not sum to the ceiling (TRANCHES_DO_NOT_SUM_TO_CEILING)', () => {
    const error = given([]).when(seedRegistration(undefined, { ceiling: eur('1600000.01') })).thenThrows('TRANCHES_DO_NOT_SUM_TO_CEILING', 'rule');
    expect(error.message).toContain('1600000.00');
    expect(error.message).toContain('1600000.01');
  });

  it('T3: refuses an empty schedule (NO_TRANCHES)', () => {
    given([]).when(seedRegistration(undefined, { tranches: [] })).thenThrows('NO_TRANCHES');
  });

  it('T3: refuses a tranche of zero (AMOUNT_NOT_POSITIVE)', () => {
    given([]).when(seedRegistration(undefined, {
      tranches: [{ amount: eur('1600000'), release: { on: 'signature' } }, { amount: eur('0'), release: { on: 'signature' } }],
    })).thenThrows('AMOUNT_NOT_POSITIVE');
  });

  it('T3: refuses thresholds that do not strictly increase (THRESHOLDS_NOT_INCREASING)', () => {
    given([]).when(seedRegistration(undefined, {
      tranches: [
        { amount: eur('800000'), release: { on: 'signature' } },
        { amount: eur('400000'), release: { on: 'consumption', threshold: eur('600000') } },
        { amount: eur('400000'), release: { on: 'consumption', threshold: eur('600000') } },
      ],
    })).thenThrows('THRESHOLDS_NOT_INCREASING');
  });

  it.each(['0', '1600000.01'])('T3: refuses a threshold of %s, outside (0, ceiling] (THRESHOLD_OUT_OF_RANGE)', (threshold) => {
    given([]).when(seedRegistration(undefined, {
      tranches: [
        { amount: eur('800000'), release: { on: 'signature' } },
        { amount: eur('800000'), release: { on: 'consumption', threshold: eur(threshold) } },
      ],
    })).thenThrows('THRESHOLD_OUT_OF_RANGE');
  });

  it('T3: accepts a threshold equal to the ceiling', () => {
    const { events } = given([]).when(seedRegistration(undefined, {
      tranches: [
        { amount: eur('800000'), release: { on: 'signature' } },
        { amount: eur('800000'), release: { on: 'consumption', threshold: eur('1600000') } },
      ],
    })).thenOutcome();
    expect(events).toHaveLength(1);
  });

  it('T3: refuses an at-signature tranche after one released on consumption (TRANCHES_OUT_OF_ORDER)', () => {
    given([]).when(seedRegistration(undefined, {
      tranches: [
        { amount: eur('800000'), release: { on: 'consumption', threshold: eur('600000') } },
        { amount: eur('800000'), release: { on: 'signature' } },
      ],
    })).thenThrows('TRANCHES_OUT_OF_ORDER');
  });

  it.each([0, 1.5, -3, 1201])('T4: refuses a duration of %p months (INVALID_DURATION)', (durationMonths) => {
    given([]).when(seedRegistration(undefined, { durationMonths })).thenThrows('INVALID_DURATION', 'invalid');
  });

  it('T1: refuses a party without a representative (TEXT_REQUIRED)', () => {
    given([]).when(seedRegistration(undefined, { funder: { ...seedRegistration().funder, representative: ' ' } })).thenThrows('TEXT_REQUIRED', 'invalid');
  });

  it('T1 (v2): each party names its organisation (TEXT_REQUIRED)', () => {
    const error = given([]).when(seedRegistration(undefined, { funder: { ...seedRegistration().funder, organisation: '' } })).thenThrows('TEXT_REQUIRED', 'invalid');
    expect(error.details).toEqual({ field: 'funder.organisation' });
    const { organisation: _none, ...withoutOrganisation } = seedRegistration().beneficiary;
    given([]).when(seedRegistration(undefined, { beneficiary: withoutOrganisation as never })).thenThrows('TEXT_REQUIRED', 'invalid');
  });

  it('T1 (v2): records the organisations, the account holders and the beneficiary\'s accounting organisation', () => {
    const { events } = given([]).when(seedRegistration()).thenOutcome();
    const { funder, beneficiary } = (events[0] as ConventionRegistered).data;
    expect(funder).toMatchObject({ organisation: '130026032', bankAccount: { holder: 'Agence nationale de la cohésion des territoires' } });
    expect(beneficiary).toMatchObject({ organisation: '120027016', accountingOrganisation: 'SCBCM-SPM', bankAccount: { holder: 'SCBCM SERVICES PREMIER MINISTRE' } });
  });

  it('T1 (v2): records only the fields a party has: unknown ones, and an accounting organisation on the funder\'s side, are dropped', () => {
    const seed = seedRegistration();
    const funder = { ...seed.funder, accountingOrganisation: 'X', siret: '1', bankAccount: { ...seed.funder.bankAccount, iban: 'FR..', holder: undefined } };
    const beneficiary = { ...seed.beneficiary, accountingOrganisation: undefined, email: 'x@y' };
    const { events } = given([]).when(seedRegistration(undefined, { funder, beneficiary } as never)).thenOutcome();
    const data = (events[0] as ConventionRegistered).data;
    expect(data.funder).toEqual({
      name: seed.funder.name, representative: seed.funder.representative, organisation: seed.funder.organisation,
      bankAccount: { bankCode: '10071', branchCode: '59000', accountNumber: '00001020148', key: '89' },
    });
    expect(Object.keys(data.beneficiary).sort()).toEqual(['bankAccount', 'name', 'organisation', 'representative']);
  });

  it('T1 (v2): an account holder or an accounting organisation, when given, is not blank (TEXT_REQUIRED)', () => {
    const seed = seedRegistration();
    given([]).when(seedRegistration(undefined, { beneficiary: { ...seed.beneficiary, accountingOrganisation: '  ' } })).thenThrows('TEXT_REQUIRED', 'invalid');
    const error = given([]).when(seedRegistration(undefined, { funder: { ...seed.funder, bankAccount: { ...seed.funder.bankAccount, holder: ' ' } } }))
      .thenThrows('TEXT_REQUIRED', 'invalid');
    expect(error.details).toEqual({ field: 'funder.bankAccount.holder' });
  });

  it('T1: a party is required (MALFORMED_COMMAND)', () => {
    given([]).when(seedRegistration(undefined, { funder: null as never })).thenThrows('MALFORMED_COMMAND', 'invalid');
  });
});

describe('Any command but registration needs a registered convention', () => {
  it('refuses a signature on an unknown convention (CONVENTION_NOT_FOUND, not-found)', () => {
    given([]).when({ type: 'SignConvention', party: 'funder', signatory: 'X', signedOn: '2020-05-11' })
      .thenThrows('CONVENTION_NOT_FOUND', 'not-found');
  });

  it('refuses a restitution on an unknown convention (CONVENTION_NOT_FOUND)', () => {
    given([]).when({ type: 'PayRestitution', restitutionId: 'r', amount: eur('1'), paidOn: '2021-01-01' })
      .thenThrows('CONVENTION_NOT_FOUND', 'not-found');
  });
});
