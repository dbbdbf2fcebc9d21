import Decimal from 'decimal.js';
import type { RegisterConvention, SignConvention } from '../src/commands';
import type { Party } from '../src/events';

/**
 * The reference case of DOMAIN.md: the ANCT-DINUM partnership convention signed on 11 May 2020
 * (seed/convention-anct-dinum-2020.txt). Shared by unit specs and by end-to-end tests, in
 * the domain's form (money as Decimal) and in the HTTP form of POST /conventions (money as text).
 */
export const SEED_CONVENTION_ID = 'anct-dinum-2020';

export const SEED_SIGNED_ON = '2020-05-11';

export const SEED_FUNDER: Party = {
  name: 'Agence nationale de la cohésion des territoires (ANCT)',
  representative: 'Yves Le Breton',
  bankAccount: { bankCode: '10071', branchCode: '59000', accountNumber: '00001020148', key: '89' },
};

export const SEED_BENEFICIARY: Party = {
  name: 'Direction interministérielle du numérique (DINUM)',
  representative: 'Nadi Bou Hanna',
  bankAccount: { bankCode: '30001', branchCode: '00064', accountNumber: '00000092441', key: '40' },
};

/** IBANs derived from the two RIBs (mod-97 check digits computed independently). */
export const SEED_FUNDER_IBAN = 'FR7610071590000000102014889';
export const SEED_BENEFICIARY_IBAN = 'FR7630001000640000009244140';

export const SEED_EXPENSE_CATEGORIES = ['devops', 'design', 'deployment', 'coaching'];

/** Body of POST /conventions for the seed, as an HTTP client sends it. */
export const SEED_REGISTRATION_BODY = {
  reference: 'ANCT-DINUM-2020',
  title: "Convention de partenariat ANCT – DINUM : création de l'incubateur de l'ANCT",
  funder: SEED_FUNDER,
  beneficiary: SEED_BENEFICIARY,
  ceiling: '1600000.00',
  durationMonths: 12,
  tranches: [
    { amount: '800000.00', release: { on: 'signature' as const } },
    { amount: '400000.00', release: { on: 'consumption' as const, threshold: '600000.00' } },
    { amount: '400000.00', release: { on: 'consumption' as const, threshold: '1000000.00' } },
  ],
  expenseCategories: SEED_EXPENSE_CATEGORIES,
  budget: {
    fondsDeConcours: '1-2-00548',
    programme: '352',
    bop: 'DINUM (0352-CFSE)',
  },
};

export function seedRegistration(conventionId = SEED_CONVENTION_ID, overrides: Partial<RegisterConvention> = {}): RegisterConvention {
  const body = SEED_REGISTRATION_BODY;
  return {
    type: 'RegisterConvention',
    conventionId,
    reference: body.reference,
    title: body.title,
    funder: structuredClone(body.funder),
    beneficiary: structuredClone(body.beneficiary),
    ceiling: new Decimal(body.ceiling),
    durationMonths: body.durationMonths,
    tranches: body.tranches.map((t) =>
      t.release.on === 'signature'
        ? { amount: new Decimal(t.amount), release: { on: 'signature' } }
        : { amount: new Decimal(t.amount), release: { on: 'consumption', threshold: new Decimal(t.release.threshold) } }),
    expenseCategories: [...body.expenseCategories],
    budget: { ...body.budget },
    ...overrides,
  };
}

/** Both parties sign on 11 May 2020, the funder first. */
export const seedSignatures = (signedOn = SEED_SIGNED_ON): SignConvention[] => [
  { type: 'SignConvention', party: 'funder', signatory: 'Yves Le Breton', signedOn },
  { type: 'SignConvention', party: 'beneficiary', signatory: 'Nadi Bou Hanna', signedOn },
];
