/**
 * Which conventions a reader may see, by the organisations of their parties: every convention, or
 * those where `organisation` is the party of one of `sides` (the accounting side being the
 * beneficiary's accounting organisation, or the beneficiary itself when the terms name none).
 * The API's access policy (apps/api/src/auth/access-policy.ts, `readScopeOf`) computes it for
 * each principal; the read models only apply it. docs/security.md says who sees what.
 */
export type OrganisationScope =
  | { readonly kind: 'every-convention' }
  | { readonly kind: 'organisation'; readonly organisation: string; readonly sides: readonly ('funder' | 'beneficiary' | 'accounting')[] };

/** A convention's parties as the read models hold them (rm_conventions), for the access policy. */
export interface ConventionParties {
  funder: string;
  beneficiary: string;
  accountingOrganisation: string | null;
}

/** Every convention: for trusted callers (projections' tests, the benchmark, reports), never for a principal. */
export const EVERY_CONVENTION: OrganisationScope = { kind: 'every-convention' };
