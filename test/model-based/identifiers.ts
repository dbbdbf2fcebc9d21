import type { BankAccount } from '@cl/domain';
import type { Random } from './random';

/**
 * Identifiers the scenarios put in commands (RIBs for amended bank accounts, SIRETs for payees),
 * valid by construction, with their keys computed here from the published algorithms (not with
 * the domain's own code, which is what they are checked by), and a few deliberately wrong ones.
 */

const ACCOUNT_CHARS = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ';

/** The banking RIB letter table: A-I → 1-9, J-R → 1-9, S-Z → 2-9. */
function ribDigitOf(char: string): number {
  if (/[0-9]/.test(char)) return Number(char);
  const index = char.charCodeAt(0) - 65;
  if (index < 9) return index + 1;
  if (index < 18) return index - 8;
  return index - 16;
}

/** key = 97 − ((89 × bank + 15 × branch + 3 × account) mod 97). */
export function ribKeyOf(bankCode: string, branchCode: string, accountNumber: string): string {
  const account = BigInt([...accountNumber].map(ribDigitOf).join(''));
  const remainder = (89n * BigInt(bankCode) + 15n * BigInt(branchCode) + 3n * account) % 97n;
  return String(97n - remainder).padStart(2, '0');
}

const digits = (rng: Random, count: number) => Array.from({ length: count }, () => String(rng.int(0, 9))).join('');

/** A well-formed RIB; `wrongKey` makes its key fail (T1). */
export function randomBankAccount(rng: Random, wrongKey = false): BankAccount {
  const bankCode = digits(rng, 5);
  const branchCode = digits(rng, 5);
  const accountNumber = Array.from({ length: 11 }, () => ACCOUNT_CHARS[rng.int(0, rng.chance(0.8) ? 9 : ACCOUNT_CHARS.length - 1)]).join('');
  const key = ribKeyOf(bankCode, branchCode, accountNumber);
  const wrong = String((Number(key) + rng.int(1, 96)) % 97 || 97).padStart(2, '0');
  return {
    bankCode, branchCode, accountNumber, key: wrongKey ? wrong : key,
    ...(rng.chance(0.5) ? { holder: `Holder ${bankCode}` } : {}),
  };
}

/** Luhn check digit for a number of 13 digits (the 14th makes the whole sum a multiple of 10). */
function luhnCheckDigit(body: string): string {
  let total = 0;
  // The check digit will sit at position 0 from the right: body digits start at position 1.
  for (let i = 0; i < body.length; i++) {
    let d = Number(body[body.length - 1 - i]);
    if (i % 2 === 0) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    total += d;
  }
  return String((10 - (total % 10)) % 10);
}

/** A 14-digit SIRET whose Luhn key verifies (never La Poste's SIREN, which has its own rule); or a wrong one. */
export function randomSiret(rng: Random, wrong = false): string {
  let body = digits(rng, 13);
  if (body.startsWith('356000000')) body = `1${body.slice(1)}`;
  const check = luhnCheckDigit(body);
  return wrong ? `${body}${(Number(check) + rng.int(1, 9)) % 10}` : `${body}${check}`;
}
