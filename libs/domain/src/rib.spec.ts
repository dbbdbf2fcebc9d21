import { DomainError } from './errors';
import { formatIban, ibanFromRib, isIbanValid, isRibKeyValid, ribKey, verifyRib } from './rib';

const dinum = { bankCode: '30001', branchCode: '00064', accountNumber: '00000092441', key: '40' };
const anct = { bankCode: '10071', branchCode: '59000', accountNumber: '00001020148', key: '89' };

/** Independent mod-97 over the rearranged IBAN, written out digit by digit for the check. */
function ibanRemainder(iban: string): bigint {
  const rearranged = iban.slice(4) + iban.slice(0, 4);
  const digits = [...rearranged].map((c) => (/[0-9]/.test(c) ? c : String(c.charCodeAt(0) - 55))).join('');
  return BigInt(digits) % 97n;
}

describe('T1: French RIB key and IBAN', () => {
  it('T1: both seed accounts verify', () => {
    expect(ribKey('30001', '00064', '00000092441')).toBe('40');
    expect(ribKey('10071', '59000', '00001020148')).toBe('89');
    expect(isRibKeyValid(dinum)).toBe(true);
    expect(isRibKeyValid(anct)).toBe(true);
    expect(() => verifyRib(dinum)).not.toThrow();
    expect(() => verifyRib(anct)).not.toThrow();
  });

  it('T1: derives the IBANs of the seed accounts, whose mod 97 is 1', () => {
    // FR = 15 27, "FR00" → 152700; check = 98 − (BBAN·10⁶ + 152700 mod 97).
    expect(ibanFromRib(dinum)).toBe('FR7630001000640000009244140');
    expect(ibanFromRib(anct)).toBe('FR7610071590000000102014889');
    expect(ibanRemainder('FR7630001000640000009244140')).toBe(1n);
    expect(ibanRemainder('FR7610071590000000102014889')).toBe(1n);
    expect(isIbanValid('FR76 3000 1000 6400 0000 9244 140')).toBe(true);
    expect(isIbanValid('FR7730001000640000009244140')).toBe(false);
    expect(formatIban('FR7630001000640000009244140')).toBe('FR76 3000 1000 6400 0000 9244 140');
  });

  it('T1: refuses a wrong key as invalid input (INVALID_RIB_KEY, HTTP 400)', () => {
    const error = (() => { try { verifyRib({ ...dinum, key: '41' }); } catch (e) { return e; } })() as DomainError;
    expect(error).toBeInstanceOf(DomainError);
    expect(error).toMatchObject({ kind: 'invalid', code: 'INVALID_RIB_KEY', rule: 'T1' });
  });

  it('T1: refuses a malformed RIB (INVALID_RIB_FORMAT)', () => {
    for (const bad of [{ ...dinum, bankCode: '3000' }, { ...dinum, branchCode: '0006A' }, { ...dinum, accountNumber: '0000009244' }, { ...dinum, key: '4' }]) {
      expect(() => verifyRib(bad)).toThrow(expect.objectContaining({ code: 'INVALID_RIB_FORMAT', kind: 'invalid' }));
    }
  });

  it('T1: converts account letters with the RIB table (A,J→1 … S→2 … Z→9)', () => {
    // Same key as the all-digit account obtained by converting the letters by hand.
    expect(ribKey('20041', '01005', '0500013M026')).toBe(ribKey('20041', '01005', '05000134026'));
    expect(ribKey('12345', '67890', 'AJSBKTZRI00')).toBe(ribKey('12345', '67890', '11222399900'));
    const withLetters = { bankCode: '20041', branchCode: '01005', accountNumber: '0500013M026', key: ribKey('20041', '01005', '0500013M026') };
    expect(isRibKeyValid(withLetters)).toBe(true);
    expect(isIbanValid(ibanFromRib(withLetters))).toBe(true);
  });
});
