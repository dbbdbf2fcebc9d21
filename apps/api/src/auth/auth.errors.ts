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
