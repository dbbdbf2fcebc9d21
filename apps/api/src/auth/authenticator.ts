import type { Actor } from './roles';

/**
 * Turns a bearer token into the principal it stands for, or undefined when the token proves
 * nothing. The static token table is one; an OpenID Connect verifier is another. The guard
 * knows only this interface.
 */
export interface Authenticator {
  authenticate(token: string): Promise<Actor | undefined>;
}

export const AUTHENTICATOR = Symbol('Authenticator');
