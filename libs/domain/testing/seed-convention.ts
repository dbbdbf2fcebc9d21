import Decimal from 'decimal.js';
import type { RegisterConvention, SignConvention } from '../src/commands';
import type { Party } from '../src/events';
import seedConventionBody from '../../../docs/examples/seed-convention.json';

/**
 * The reference case of docs/domain-rules.md: the ANCT-DINUM partnership convention signed on 11 May 2020
 * (its figures: docs/domain-rules.md). Shared by unit specs and by end-to-end tests, in
 * the domain's form (money as Decimal) and in the HTTP form of POST /conventions (money as text).
 */
export const SEED_CONVENTION_ID = 'anct-dinum-2020';

export const SEED_SIGNED_ON = '2020-05-11';

/** Body of POST /conventions for the seed, as an HTTP client sends it; the README's example too. */
export const SEED_REGISTRATION_BODY = seedConventionBody as typeof seedConventionBody & {
  tranches: Array<{ amount: string; release: { on: 'signature' } | { on: 'consumption'; threshold: string } }>;
};

export const SEED_FUNDER: Party = SEED_REGISTRATION_BODY.funder;
export const SEED_BENEFICIARY: Party = SEED_REGISTRATION_BODY.beneficiary;

/** IBANs derived from the two RIBs (mod-97 check digits computed independently). */
export const SEED_FUNDER_IBAN = 'FR7610071590000000102014889';
export const SEED_BENEFICIARY_IBAN = 'FR7630001000640000009244140';

export const SEED_EXPENSE_CATEGORIES = SEED_REGISTRATION_BODY.expenseCategories;

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
        : { amount: new Decimal(t.amount), release: { on: 'consumption', threshold: new Decimal(t.release.threshold as string) } }),
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
