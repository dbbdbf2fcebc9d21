import { termsOn, type FiguresStatus } from '@cl/domain/figures';
import type { SettlementsTable, StatementSignaturesTable, TermsTable } from '../database/read-model-tables';

/**
 * "As of a business date" for every query. A fact is known when its business date is on or
 * before asOf; with asOf undefined every dated fact is known, so the current answer is the as-of
 * answer with no limit and there is one code path for both (the rule of figures.ts). Dates are
 * 'YYYY-MM-DD', which compare correctly as text.
 */
export type KnownAsOf = (date: string | null) => date is string;

export function knownAsOf(asOf?: string): KnownAsOf {
  return (date: string | null): date is string => date !== null && (asOf === undefined || date <= asOf);
}

/**
 * A3: the version of the terms in force as of the date (the domain's termsOn, the rule the
 * figures use): the latest whose date is known, the registered terms (in_force_from null) first.
 * `terms` must be ordered by terms_version.
 */
export function termsInForce<T extends Pick<TermsTable, 'in_force_from'>>(terms: readonly T[], asOf?: string): T {
  return termsOn(terms.map((row) => ({ from: row.in_force_from ?? undefined, row })), asOf).row;
}

/** D2: a statement is valid once signed in both roles; the day it became so is its later signature. */
export function validOn(signatures: readonly Pick<StatementSignaturesTable, 'signed_as' | 'signed_on'>[]): string | undefined {
  if (new Set(signatures.map((signature) => signature.signed_as)).size < 2) return undefined;
  return signatures.map((signature) => signature.signed_on).reduce((a, b) => (b > a ? b : a));
}

/**
 * R1: the day the convention last became settled, when the figures say it is settled as of the
 * date (a convention may be settled, reopened by a late rejection, then settled again).
 * `settlements` must be ordered by position.
 */
export function settledOn(status: FiguresStatus, settlements: readonly Pick<SettlementsTable, 'kind' | 'occurred_on'>[], known: KnownAsOf): string | null {
  if (status !== 'settled') return null;
  return settlements.filter((s) => s.kind === 'settled' && known(s.occurred_on)).at(-1)?.occurred_on ?? null;
}
