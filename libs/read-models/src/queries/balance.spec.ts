import { balanceRow } from '../projections/balance-projection';
import { balanceFromStored, type Balance } from './balance';

const ended: Balance = {
  conventionId: 'c1', asOf: null, status: 'closed', ceiling: '1600000.00', committed: '1000000.10', serviceDone: '999999.99',
  paid: '999999.98', consumed: '900000.01', rejected: '100000.09', called: '1200000.00', due: '1200000.00', received: '1150000.00',
  outstanding: '50000.00', remainingCeiling: '600000.00',
  tranches: [
    { number: 1, amount: '800000.00', status: 'paid', paid: '800000.00' },
    { number: 2, amount: '400000.00', status: 'partially-paid', paid: '350000.00' },
    { number: 3, amount: '400000.00', status: 'lapsed', paid: '0.00' },
  ],
  participation: '900000.01', provisional: false,
  restitution: { due: '249999.99', paid: '100000.00', outstanding: '149999.99' },
  owedToBeneficiary: { due: '0.00', paid: '0.00', outstanding: '0.00' },
};
const { participation: _none, ...running } = { ...ended, status: 'active' as const, provisional: true, tranches: [] };

describe('the stored current balance (rm_balances, rm_balance_tranches) read back', () => {
  it.each([['an ended convention (participation, tranches)', ended], ['a running one (no participation, provisional, no tranche)', running as Balance]])(
    'gives the balance it was stored from, member for member and in the same order: %s',
    (_name, balance) => {
      const stored = balanceRow(balance, { expenses: 3, statements: 1 }, 42);
      expect(JSON.stringify(balanceFromStored(stored, balance.tranches.map((tranche) => ({ ...tranche }))))).toBe(JSON.stringify(balance));
    },
  );
});
