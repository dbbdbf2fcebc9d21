/**
 * A refusal by the domain. `code` is stable (clients switch on it), `rule` cites docs/domain-rules.md,
 * `kind` tells the HTTP edge which status family applies; the mapping lives in one place
 * (apps/api/src/http/api-exception.filter.ts).
 */
export type DomainErrorKind =
  /** The input is malformed in a way only the domain can see (e.g. a RIB key that fails). 400 */
  | 'invalid'
  /** The thing named does not exist (convention, expense, statement, tranche). 404 */
  | 'not-found'
  /** A business rule refused the command. 422 */
  | 'rule';

export class DomainError extends Error {
  constructor(
    readonly kind: DomainErrorKind,
    readonly code: string,
    message: string,
    readonly rule?: string,
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
    this.name = 'DomainError';
  }
}

export const refuse = (code: string, rule: string, message: string, details?: Record<string, unknown>) =>
  new DomainError('rule', code, message, rule, details);

export const notFound = (code: string, message: string, details?: Record<string, unknown>) =>
  new DomainError('not-found', code, message, undefined, details);

export const invalid = (code: string, rule: string, message: string, details?: Record<string, unknown>) =>
  new DomainError('invalid', code, message, rule, details);
