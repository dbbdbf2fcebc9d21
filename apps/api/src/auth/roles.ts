/** docs/domain-rules.md "Who may do what". */
export const ROLES = ['funder', 'beneficiary', 'authorizing-officer', 'public-accountant', 'auditor'] as const;
export type Role = (typeof ROLES)[number];

/** An organisation scope that only auditors may hold: every convention (e.g. a court of auditors). */
export const ALL_ORGANISATIONS = '*';

/** Who is calling: an authenticated subject, its roles, and the organisation it acts for (docs/domain-rules.md, "Who may do what"). */
export interface Actor {
  subject: string;
  roles: Role[];
  /** An organisation identifier, or ALL_ORGANISATIONS for a global auditor. */
  organisation: string;
}

/**
 * One principal, unambiguously: its organisation and subject (the same subject may be configured
 * in two organisations, and either may hold any character). What Idempotency-Keys and the ids
 * derived from them are scoped to.
 */
export const principalIdentity = (actor: Pick<Actor, 'subject' | 'organisation'>): string => JSON.stringify([actor.organisation, actor.subject]);
