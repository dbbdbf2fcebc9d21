import { DomainError } from './errors';
import { isValidSiret, verifySiret } from './siret';

describe('E1: SIRET of a payee', () => {
  it('E1: a SIRET is 14 digits whose Luhn key verifies (ANCT 130 026 032 00016)', () => {
    expect(isValidSiret('13002603200016')).toBe(true);
    expect(isValidSiret('13002603200024')).toBe(true);
    expect(isValidSiret('13002603200017')).toBe(false);
  });

  it.each([['1300260320001'], ['130026032000160'], ['1300260320001A'], ['130 026 032 00016'], [''], [null], [13002603200016]])(
    'E1: %p is no SIRET', (value) => {
      expect(isValidSiret(value)).toBe(false);
    });

  it('E1: La Poste: the head office 356 000 000 00048 follows Luhn; the other establishments, a digit sum divisible by 5', () => {
    expect(isValidSiret('35600000000048')).toBe(true);
    expect(isValidSiret('35600000000010')).toBe(true); // digit sum 15, fails Luhn
    expect(isValidSiret('35600000000014')).toBe(false); // passes Luhn, digit sum 18
    expect(isValidSiret('35600000000049')).toBe(false);
  });

  it('E1: verifySiret refuses with INVALID_SIRET (invalid, rule E1) naming the field', () => {
    expect(verifySiret('13002603200016', 'payee.siret')).toBe('13002603200016');
    let thrown: unknown;
    try {
      verifySiret('13002603200017', 'payee.siret');
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(DomainError);
    expect(thrown).toMatchObject({ code: 'INVALID_SIRET', kind: 'invalid', rule: 'E1', details: { field: 'payee.siret' } });
  });
});
