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
