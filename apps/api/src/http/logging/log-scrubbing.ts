import type { DestinationStream } from 'pino';

/** An IBAN as written in text (two letters, two check digits, 11 to 30 letters or digits, spaced or not). */
const IBAN = /\b[A-Z]{2}\d{2}(?: ?[A-Z0-9]){11,30}\b/g;
/** A bearer credential in free text (an Authorization header quoted in an error message). */
const BEARER = /\b(Bearer)\s+[^\s",}]+/gi;

/**
 * The last line of defence: what a log line must never carry, whatever wrote it (a library's
 * error message quoting a header, a future log call quoting a body). Request lines are built from
 * chosen fields only (request-log.ts), so this should never have anything to do.
 */
export function scrubLogLine(line: string): string {
  return line.replace(IBAN, '[IBAN]').replace(BEARER, '$1 [redacted]');
}

/** Standard output, every line scrubbed first. */
export function scrubbedStdout(): DestinationStream {
  return { write: (line: string) => void process.stdout.write(scrubLogLine(line)) };
}

/**
 * Paths pino blanks if an object carrying them is ever logged: credentials and the fields of a
 * bank account (docs/api.md: bankAccount{bankCode, branchCode, accountNumber, key, holder}).
 */
export const REDACTED_PATHS = [
  'req.headers.authorization', 'req.headers.cookie', 'headers.authorization', 'authorization',
  'bankAccount', '*.bankAccount', '*.*.bankAccount', 'iban', '*.iban', 'bic', '*.bic', 'accountNumber', '*.accountNumber',
];
