/** docs/domain-rules.md "Who may do what". */
export const ROLES = ['funder', 'beneficiary', 'authorizing-officer', 'public-accountant', 'auditor'] as const;
export type Role = (typeof ROLES)[number];

export interface Actor {
  subject: string;
  roles: Role[];
}
