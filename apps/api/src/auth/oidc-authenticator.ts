import { Logger } from '@nestjs/common';
import { createRemoteJWKSet, errors, jwtVerify, type JWTPayload, type JWTVerifyGetKey } from 'jose';
import type { OidcConfig } from '@cl/config';
import { AuthenticationUnavailableError } from './auth.errors';
import type { Authenticator } from './authenticator';
import { ALL_ORGANISATIONS, ROLES, type Actor, type Role } from './roles';

/** The JOSE errors that say the key set could not be had (the issuer is down or answers nonsense), not that the token is bad. */
const KEY_SET_UNAVAILABLE = new Set([errors.JWKSTimeout.code, errors.JWKSInvalid.code, errors.JOSEError.code]);

/**
 * Reads a claim by name, or else by dotted path through nested objects: `realm_access.roles`
 * (Keycloak). A claim whose own name holds dots (`https://example.org/roles`) is found first.
 */
export function readClaim(payload: JWTPayload, name: string): unknown {
  if (Object.prototype.hasOwnProperty.call(payload, name)) return payload[name];
  let value: unknown = payload;
  for (const part of name.split('.')) {
    if (typeof value !== 'object' || value === null || Array.isArray(value) || !Object.prototype.hasOwnProperty.call(value, part)) return undefined;
    value = (value as Record<string, unknown>)[part];
  }
  return value;
}

/** The principal the claims name, or why they name none. */
export function actorFromClaims(payload: JWTPayload, config: Pick<OidcConfig, 'subjectClaim' | 'rolesClaim' | 'organisationClaim'>): Actor | string {
  const subject = readClaim(payload, config.subjectClaim);
  if (typeof subject !== 'string' || subject.length < 1 || subject.length > 255) return `no subject in claim ${config.subjectClaim}`;
  const rawRoles = readClaim(payload, config.rolesClaim);
  const names = Array.isArray(rawRoles) ? rawRoles : typeof rawRoles === 'string' ? rawRoles.split(/\s+/) : [];
  const roles = [...new Set(names.filter((r): r is Role => typeof r === 'string' && (ROLES as readonly string[]).includes(r)))];
  if (!roles.length) return `no known role in claim ${config.rolesClaim}`;
  const organisation = readClaim(payload, config.organisationClaim);
  if (typeof organisation !== 'string' || organisation.length < 1 || organisation.length > 64) return `no organisation (1 to 64 characters) in claim ${config.organisationClaim}`;
  if (organisation === ALL_ORGANISATIONS && roles.some((r) => r !== 'auditor')) return `organisation "${ALL_ORGANISATIONS}" is for auditors only`;
  return { subject, roles, organisation };
}

/**
 * Verifies OpenID Connect bearer JWTs (a Keycloak or ProConnect realm): signature against the
 * issuer's JSON Web Key Set (fetched, cached 10 minutes, fetched again when a token names a key
 * id it does not hold, at most once per cooldown), issuer, audience, `exp` (required) and `nbf`
 * with a clock tolerance, asymmetric algorithms only. Then the principal from the configured claims.
 */
export class OidcAuthenticator implements Authenticator {
  private readonly logger = new Logger('OIDC');

  constructor(
    private readonly config: OidcConfig,
    private readonly keys: JWTVerifyGetKey = createRemoteJWKSet(new URL(config.jwksUrl), {
      cooldownDuration: config.jwksCooldownSeconds * 1000,
      cacheMaxAge: 10 * 60_000,
      timeoutDuration: 5_000,
    }),
  ) {}

  async authenticate(token: string): Promise<Actor | undefined> {
    let payload: JWTPayload;
    try {
      ({ payload } = await jwtVerify(token, this.keys, {
        issuer: this.config.issuer,
        audience: this.config.audiences,
        algorithms: this.config.algorithms,
        clockTolerance: this.config.clockToleranceSeconds,
        requiredClaims: ['exp'],
      }));
    } catch (error) {
      if (error instanceof errors.JOSEError && !KEY_SET_UNAVAILABLE.has(error.code)) {
        this.logger.debug(`token refused: ${error.code} ${error.message}`);
        return undefined;
      }
      // The key set could not be fetched or read (network, timeout, not 200, not a key set).
      this.logger.warn(`key set ${this.config.jwksUrl} unavailable: ${error instanceof Error ? error.message : String(error)}`);
      throw new AuthenticationUnavailableError();
    }
    const actor = actorFromClaims(payload, this.config);
    if (typeof actor === 'string') {
      this.logger.debug(`token refused: ${actor}`);
      return undefined;
    }
    return actor;
  }
}
