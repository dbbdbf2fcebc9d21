import Decimal from 'decimal.js';
import { formatMoney, isMoneyText, money, sum } from './money';

describe('M1: money is an exact decimal with at most two places', () => {
  it.each(['1e6', '-5', '0.001', '', ' 5', '5.', '.5', '01', '1,5', 'NaN', 'Infinity'])('M1: refuses %j as money text', (text) => {
    expect(isMoneyText(text)).toBe(false);
  });

  it.each(['0', '12', '800000.00', '610000.75', '0.5'])('M1: accepts %j', (text) => {
    expect(isMoneyText(text)).toBe(true);
  });

  it('M1: refuses a JS number even when it looks like an amount', () => {
    expect(isMoneyText(12)).toBe(false);
    expect(() => money(12 as unknown as string)).toThrow(TypeError);
  });

  it('M1: formats with exactly two decimals and no exponent', () => {
    expect(formatMoney(money('12'))).toBe('12.00');
    expect(formatMoney(new Decimal('1e15'))).toBe('1000000000000000.00');
  });

  it('M1: sums exactly where floating point would not (0.1 + 0.2)', () => {
    expect(formatMoney(sum([money('0.1'), money('0.2')]))).toBe('0.30');
    expect(formatMoney(sum([money('600000.50'), money('10000.25')]))).toBe('610000.75');
  });
});
