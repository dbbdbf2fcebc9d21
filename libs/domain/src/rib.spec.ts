import { DomainError } from './errors';
import { ibanFromRib, verifyRib } from './rib';

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
    expect(() => verifyRib(dinum)).not.toThrow();
    expect(() => verifyRib(anct)).not.toThrow();
  });

  it('T1: derives the IBANs of the seed accounts, whose mod 97 is 1', () => {
    // FR = 15 27, "FR00" → 152700; check = 98 − (BBAN·10⁶ + 152700 mod 97).
    expect(ibanFromRib(dinum)).toBe('FR7630001000640000009244140');
    expect(ibanFromRib(anct)).toBe('FR7610071590000000102014889');
    expect(ibanRemainder('FR7630001000640000009244140')).toBe(1n);
    expect(ibanRemainder('FR7610071590000000102014889')).toBe(1n);
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
    const withLetters = { bankCode: '20041', branchCode: '01005', accountNumber: '0500013M026', key: '06' };
    for (const account of [withLetters, { ...withLetters, accountNumber: '05000134026' }]) {
      expect(() => verifyRib(account)).not.toThrow();
      expect(() => verifyRib({ ...account, key: '07' })).toThrow(expect.objectContaining({ code: 'INVALID_RIB_KEY' }));
    }
    for (const accountNumber of ['AJSBKTZRI00', '11222399900']) {
      expect(() => verifyRib({ bankCode: '12345', branchCode: '67890', accountNumber, key: '68' })).not.toThrow();
    }
    expect(ibanRemainder(ibanFromRib(withLetters))).toBe(1n);
  });
});
