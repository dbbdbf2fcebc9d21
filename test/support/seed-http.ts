/**
 * The seed convention (shared/seed/convention-anct-dinum-2020.txt) as the JSON body of
 * POST /conventions, reused by every end-to-end test.
 */
export const SEED_CONVENTION_BODY = {
  reference: 'ANCT-DINUM-2020',
  title: 'Convention de partenariat ANCT – DINUM : incubateur de services numériques',
  funder: {
    name: 'Agence nationale de la cohésion des territoires',
    representative: 'Yves Le Breton',
    bankAccount: { bankCode: '10071', branchCode: '59000', accountNumber: '00001020148', key: '89' },
  },
  beneficiary: {
    name: 'Direction interministérielle du numérique',
    representative: 'Nadi Bou Hanna',
    bankAccount: { bankCode: '30001', branchCode: '00064', accountNumber: '00000092441', key: '40' },
  },
  ceiling: '1600000.00',
  durationMonths: 12,
  tranches: [
    { amount: '800000.00', release: { on: 'signature' } },
    { amount: '400000.00', release: { on: 'consumption', threshold: '600000.00' } },
    { amount: '400000.00', release: { on: 'consumption', threshold: '1000000.00' } },
  ],
  expenseCategories: ['devops', 'design', 'deployment', 'coaching'],
  budget: { fondsDeConcours: '1-2-00548', programme: '352', bop: '0352-CFSE' },
};
