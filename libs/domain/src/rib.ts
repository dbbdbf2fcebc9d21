import { ErrorCodes } from './error-codes';
import { invalid } from './errors';
import type { BankAccount } from './events';

const BANK_OR_BRANCH = /^[0-9]{5}$/;
const ACCOUNT_NUMBER = /^[0-9A-Z]{11}$/;
const KEY = /^[0-9]{2}$/;

/**
 * The RIB key table maps letters onto digits by position in three runs (A-I, J-R, S-Z, where
 * S starts at 2): this is the banking standard, not the IBAN's A=10 … Z=35.
 */
function ribDigit(char: string): string {
  if (char >= '0' && char <= '9') return char;
  const code = char.charCodeAt(0) - 'A'.charCodeAt(0);
  if (code < 9) return String(code + 1); // A..I
  if (code < 18) return String(code - 8); // J..R
  return String(code - 16); // S..Z
}

export function isWellFormedRib(account: BankAccount): boolean {
  return (
    typeof account?.bankCode === 'string' && BANK_OR_BRANCH.test(account.bankCode) &&
    typeof account.branchCode === 'string' && BANK_OR_BRANCH.test(account.branchCode) &&
    typeof account.accountNumber === 'string' && ACCOUNT_NUMBER.test(account.accountNumber.toUpperCase()) &&
    typeof account.key === 'string' && KEY.test(account.key)
  );
}

/** key = 97 − ((89·bank + 15·branch + 3·account) mod 97), two digits. BigInt: no float rounding. */
function ribKey(bankCode: string, branchCode: string, accountNumber: string): string {
  const account = [...accountNumber.toUpperCase()].map(ribDigit).join('');
  const weighted = 89n * BigInt(bankCode) + 15n * BigInt(branchCode) + 3n * BigInt(account);
  return String(97n - (weighted % 97n)).padStart(2, '0');
}

/** T1: refuses a malformed RIB or one whose key does not verify (kind 'invalid', HTTP 400). */
export function verifyRib(account: BankAccount, field = 'bankAccount'): void {
  if (!isWellFormedRib(account)) {
    throw invalid(ErrorCodes.INVALID_RIB_FORMAT, 'T1',
      `${field}: a RIB is a 5-digit bank code, a 5-digit branch code, an 11-character account number and a 2-digit key`,
      { field });
  }
  const expected = ribKey(account.bankCode, account.branchCode, account.accountNumber);
  if (expected !== account.key) {
    throw invalid(ErrorCodes.INVALID_RIB_KEY, 'T1',
      `${field}: the RIB key ${account.key} does not verify for ${account.bankCode} ${account.branchCode} ${account.accountNumber}`,
      { field });
  }
}

/** ISO 13616 letter values (A=10 … Z=35), used only for the IBAN check digits. */
function ibanDigits(text: string): string {
  return [...text].map((c) => (c >= '0' && c <= '9' ? c : String(c.charCodeAt(0) - 55))).join('');
}

function mod97(digits: string): number {
  let remainder = 0;
  for (const d of digits) remainder = (remainder * 10 + Number(d)) % 97;
  return remainder;
}

/** FR + check digits + bank + branch + account + key, compact (no spaces). */
export function ibanFromRib(account: BankAccount): string {
  const bban = `${account.bankCode}${account.branchCode}${account.accountNumber.toUpperCase()}${account.key}`;
  const check = 98 - mod97(ibanDigits(`${bban}FR00`));
  return `FR${String(check).padStart(2, '0')}${bban}`;
}
