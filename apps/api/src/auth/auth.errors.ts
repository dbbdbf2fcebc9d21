import type { Role } from './roles';

/** Mapped to 401/403 by the one error filter (http/api-exception.filter.ts). */
export class AuthenticationRequiredError extends Error {
  constructor(message = 'a valid bearer token is required') {
    super(message);
  }
}

/** The token could not be checked now (the OpenID Connect key set is unreachable): 503, not 401. */
export class AuthenticationUnavailableError extends Error {
  constructor(message = 'the identity provider\'s keys cannot be fetched right now; retry shortly') {
    super(message);
  }
}

export class ForbiddenRoleError extends Error {
  constructor(readonly allowed: Role[]) {
    super(`this action needs one of the roles: ${allowed.join(', ')}`);
  }
}

export function assertHasRole(actor: { roles: readonly string[] }, ...allowed: Role[]): void {
  if (!allowed.some((r) => actor.roles.includes(r))) throw new ForbiddenRoleError(allowed);
}

/**
 * 403 FORBIDDEN_PARTY: the principal sees the convention, but none of its roles that may do this
 * acts for a party its organisation is (docs/security.md). `actsFor` names the parties the action
 * is taken for (the principal sees the convention, so its parties are no secret to it).
 */
export class ForbiddenPartyError extends Error {
  constructor(readonly actsFor: ('funder' | 'beneficiary' | 'accounting')[]) {
    super(`your organisation is not the party this action is taken for (${actsFor.join(' or ')}${actsFor.includes('accounting') ? ': the accounting organisation, the beneficiary\'s own when the terms name none' : ''})`);
  }
}

/** 403 FORBIDDEN_ORGANISATION: a funder registers conventions only in its own organisation's name. */
export class ForbiddenOrganisationError extends Error {
  constructor() {
    super('a funder registers conventions only in its own organisation\'s name: funder.organisation must be your organisation');
  }
}

/**
 * 403 FORBIDDEN_SCOPE: the role may do this, but only with every organisation in its scope (an
 * auditor of organisation "*"): the whole log mixes every convention (docs/security.md).
 */
export class ForbiddenScopeError extends Error {
  constructor() {
    super('only an auditor of every organisation (organisation "*") may read the whole log; read a convention\'s own history at /conventions/{id}/events');
  }
}
