import { ErrorCodes } from './error-codes';
import { invalid } from './errors';

const SIRET = /^[0-9]{14}$/;
/** La Poste's establishments share one SIREN whose SIRETs follow their own key (digit sum divisible by 5). */
const LA_POSTE_SIREN = '356000000';

const digitSum = (digits: string) => [...digits].reduce((total, d) => total + Number(d), 0);

/** Luhn: doubling every second digit from the right, the sum is a multiple of 10. */
function luhnValid(digits: string): boolean {
  let total = 0;
  for (let i = 0; i < digits.length; i++) {
    let d = Number(digits[digits.length - 1 - i]);
    if (i % 2 === 1) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    total += d;
  }
  return total % 10 === 0;
}

export function isValidSiret(value: unknown): value is string {
  if (typeof value !== 'string' || !SIRET.test(value)) return false;
  if (value.startsWith(LA_POSTE_SIREN) && value !== `${LA_POSTE_SIREN}00048`) return digitSum(value) % 5 === 0;
  return luhnValid(value);
}

/** E1 (v2): a payee's SIRET is 14 digits whose Luhn key verifies. */
export function verifySiret(value: unknown, field: string): string {
  if (!isValidSiret(value)) {
    throw invalid(ErrorCodes.INVALID_SIRET, 'E1', `${field} must be a SIRET: 14 digits whose Luhn key verifies, got ${JSON.stringify(value)}.`, { field });
  }
  return value;
}
