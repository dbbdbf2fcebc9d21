import type { AmendmentsTable, ConventionsTable } from '../database/read-model-tables';

/**
 * "As of a business date" for every query. A fact is known when its business date is on or
 * before asOf; with asOf undefined every dated fact is known, so the current answer is the as-of
 * answer with no limit and there is one code path for both. Dates are 'YYYY-MM-DD', which
 * compare correctly as text.
 */
export type KnownAsOf = (date: string | null) => date is string;

export function knownAsOf(asOf?: string): KnownAsOf {
  return (date: string | null): date is string => date !== null && (asOf === undefined || date <= asOf);
}

/** The status rule of the balance (settled, closed, terminated, active, draft by their dates). */
export function statusAsOf(
  convention: Pick<ConventionsTable, 'effective_on' | 'closed_on' | 'terminated_on' | 'settled_on'>,
  known: KnownAsOf,
): ConventionsTable['status'] {
  return known(convention.settled_on) ? 'settled'
    : known(convention.closed_on) ? 'closed'
    : known(convention.terminated_on) ? 'terminated'
    : known(convention.effective_on) ? 'active'
    : 'draft';
}

/**
 * A3: an amendment rules from its date, and amendment numbers follow their dates, so the one in
 * force is the last one known. `amendments` must be ordered by number. Undefined means the
 * registered terms (terms_version 0) are in force.
 */
export function amendmentInForce<A extends Pick<AmendmentsTable, 'number' | 'signed_on'>>(amendments: readonly A[], known: KnownAsOf): A | undefined {
  return amendments.filter((amendment) => known(amendment.signed_on)).at(-1);
}

/** The terms_version of rm_tranches in force: the amendment's number, or 0 for the registered schedule. */
export const termsVersionOf = (amendment: Pick<AmendmentsTable, 'number'> | undefined): number => amendment?.number ?? 0;
