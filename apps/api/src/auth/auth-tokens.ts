import * as fs from 'node:fs';
import { createHash, timingSafeEqual } from 'node:crypto';
import type { AuthMode } from '@cl/config';
import type { Authenticator } from './authenticator';
import { ALL_ORGANISATIONS, ROLES, type Actor, type Role } from './roles';

/**
 * One line of the static token table: the token itself, or its SHA-256 digest (64 hex digits),
 * so that a token file need not hold usable secrets.
 */
export type TokenEntry = ({ token: string; tokenSha256?: undefined } | { tokenSha256: string; token?: undefined }) & {
  subject: string;
  roles: Role[];
  organisation: string;
};

export class AuthConfigError extends Error {}

/** Tokens a developer can use out of the box: only with AUTH_MODE=development (or NODE_ENV=development). */
export const DEVELOPMENT_TOKENS: (TokenEntry & { token: string })[] = [
  // The seed's parties (docs/examples/seed-convention.json): ANCT funds DINUM, whose public
  // accountant sits in another organisation (SCBCM-SPM).
  { token: 'dev-funder', subject: 'dev-funder', roles: ['funder'], organisation: '130026032' },
  { token: 'dev-beneficiary', subject: 'dev-beneficiary', roles: ['beneficiary'], organisation: '120027016' },
  { token: 'dev-authorizing-officer', subject: 'dev-authorizing-officer', roles: ['authorizing-officer'], organisation: '120027016' },
  { token: 'dev-public-accountant', subject: 'dev-public-accountant', roles: ['public-accountant'], organisation: 'SCBCM-SPM' },
  { token: 'dev-auditor', subject: 'dev-auditor', roles: ['auditor'], organisation: ALL_ORGANISATIONS },
];

/** deploy/auth-tokens.example.json's tokens start with this: public, so never accepted in production. */
export const EXAMPLE_TOKEN_PREFIX = 'EXAMPLE-ONLY-';

/** The strength every static token must have in production (docs/security.md). */
export const MIN_TOKEN_BITS = 128;
const MIN_DISTINCT_CHARACTERS = 8;

/**
 * The alphabets a token is measured against, smallest first: a token drawn from one of them at
 * random carries length × log2(size) bits. Its strength is estimated with the smallest that holds
 * all its characters, so 32 hex digits or 22 base64url characters make 128 bits.
 */
const ALPHABETS: { name: string; size: number; pattern: RegExp }[] = [
  { name: 'decimal digits', size: 10, pattern: /^[0-9]+$/ },
  { name: 'hexadecimal digits', size: 16, pattern: /^(?:[0-9a-f]+|[0-9A-F]+)$/ },
  { name: 'letters of one case', size: 26, pattern: /^(?:[a-z]+|[A-Z]+)$/ },
  { name: 'letters of one case and digits', size: 36, pattern: /^(?:[a-z0-9]+|[A-Z0-9]+)$/ },
  { name: 'letters and digits', size: 62, pattern: /^[A-Za-z0-9]+$/ },
  { name: 'base64url', size: 64, pattern: /^[A-Za-z0-9_-]+$/ },
  { name: 'base64', size: 65, pattern: /^[A-Za-z0-9+/=]+$/ },
  { name: 'printable ASCII', size: 94, pattern: /^[\x21-\x7e]+$/ },
];

/** Estimated bits of a token made of random characters from the smallest alphabet holding it. */
export function estimateTokenBits(token: string): number {
  const alphabet = ALPHABETS.find((a) => a.pattern.test(token)) ?? ALPHABETS[ALPHABETS.length - 1];
  return token.length * Math.log2(alphabet.size);
}

/** Why a token is too weak for production, or undefined when it is strong enough. */
export function tokenWeakness(token: string): string | undefined {
  const bits = estimateTokenBits(token);
  if (bits < MIN_TOKEN_BITS) return `carries about ${Math.floor(bits)} bits, fewer than ${MIN_TOKEN_BITS} (e.g. 32 hex digits or 22 base64url characters: openssl rand -hex 32)`;
  if (new Set(token).size < MIN_DISTINCT_CHARACTERS) return `repeats too few characters (${new Set(token).size} distinct, at least ${MIN_DISTINCT_CHARACTERS}): not a random token`;
  return undefined;
}

/** Three base64url segments: what the composite authenticator sends to OpenID Connect. */
export function looksLikeJwt(token: string): boolean {
  return /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$/.test(token);
}

const sha256 = (token: string) => createHash('sha256').update(token).digest();
const DEVELOPMENT_DIGESTS = new Set(DEVELOPMENT_TOKENS.map((t) => sha256(t.token).toString('hex')));

function parseTokenEntries(json: string, source: string, mode: AuthMode): TokenEntry[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(json);
  } catch {
    throw new AuthConfigError(`${source} is not valid JSON`);
  }
  if (!Array.isArray(parsed)) throw new AuthConfigError(`${source} must be a JSON array of {token or tokenSha256, subject, roles, organisation}`);
  const seen = new Set<string>();
  return parsed.map((entry, index) => {
    const at = `${source}[${index}]`;
    const e = (entry ?? {}) as Partial<Record<keyof TokenEntry, unknown>>;
    let secret: { token: string } | { tokenSha256: string };
    if (e.token !== undefined && e.tokenSha256 !== undefined) throw new AuthConfigError(`${at} has both token and tokenSha256: give one`);
    if (e.tokenSha256 !== undefined) {
      if (typeof e.tokenSha256 !== 'string' || !/^[0-9a-fA-F]{64}$/.test(e.tokenSha256)) throw new AuthConfigError(`${at}.tokenSha256 must be a SHA-256 digest: 64 hexadecimal digits`);
      secret = { tokenSha256: e.tokenSha256.toLowerCase() };
    } else {
      if (typeof e.token !== 'string' || e.token.length < 8) throw new AuthConfigError(`${at}.token must be a string of at least 8 characters (or give tokenSha256)`);
      if (!/^[\x21-\x7e]+$/.test(e.token)) throw new AuthConfigError(`${at}.token must be printable ASCII without spaces (it is sent in an Authorization header)`);
      if (looksLikeJwt(e.token)) throw new AuthConfigError(`${at}.token has the shape of a JWT (three dot-separated base64url parts): it would be taken for an OpenID Connect token`);
      if (mode === 'production') {
        if (e.token.startsWith(EXAMPLE_TOKEN_PREFIX)) throw new AuthConfigError(`${at}.token is an example token (${EXAMPLE_TOKEN_PREFIX}…), public: refused in production`);
        const weakness = tokenWeakness(e.token);
        if (weakness) throw new AuthConfigError(`${at}.token is too weak for production: it ${weakness}`);
      }
      secret = { token: e.token };
    }
    const digest = 'token' in secret ? sha256(secret.token).toString('hex') : secret.tokenSha256;
    if (mode === 'production' && DEVELOPMENT_DIGESTS.has(digest)) throw new AuthConfigError(`${at} is a development token (public): refused in production`);
    if (seen.has(digest)) throw new AuthConfigError(`${at} repeats a token given earlier in ${source}`);
    seen.add(digest);
    if (typeof e.subject !== 'string' || !e.subject || e.subject.length > 255) throw new AuthConfigError(`${at}.subject must be a non-empty string of at most 255 characters`);
    if (!Array.isArray(e.roles) || e.roles.length === 0 || e.roles.some((r) => !(ROLES as readonly string[]).includes(r))) {
      throw new AuthConfigError(`${at}.roles must list roles among ${ROLES.join(', ')}`);
    }
    const roles = e.roles as Role[];
    if (typeof e.organisation !== 'string' || e.organisation.length < 1 || e.organisation.length > 64) {
      throw new AuthConfigError(`${at}.organisation must be an organisation identifier of 1 to 64 characters, or "${ALL_ORGANISATIONS}" for an auditor`);
    }
    if (e.organisation === ALL_ORGANISATIONS && roles.some((r) => r !== 'auditor')) {
      throw new AuthConfigError(`${at}.organisation "${ALL_ORGANISATIONS}" (every convention) is for auditors only`);
    }
    return { ...secret, subject: e.subject, roles, organisation: e.organisation } as TokenEntry;
  });
}

/**
 * Resolves the token table from AUTH_TOKENS or AUTH_TOKENS_FILE. Without either, the development
 * tokens apply only in development mode and when OpenID Connect is not configured
 * (`usingDevelopmentTokens` says so, for main.ts to print them); OpenID Connect alone gives an
 * empty table; anything else is a start-up error.
 */
export function loadTokenEntries(options: { authTokens?: string; authTokensFile?: string; authMode: AuthMode; oidcConfigured?: boolean }): {
  entries: TokenEntry[];
  usingDevelopmentTokens: boolean;
} {
  if (options.authTokens) return { entries: parseTokenEntries(options.authTokens, 'AUTH_TOKENS', options.authMode), usingDevelopmentTokens: false };
  if (options.authTokensFile) {
    let text: string;
    try {
      text = fs.readFileSync(options.authTokensFile, 'utf8');
    } catch (e) {
      throw new AuthConfigError(`AUTH_TOKENS_FILE ${options.authTokensFile} cannot be read: ${(e as Error).message}`);
    }
    return { entries: parseTokenEntries(text, 'AUTH_TOKENS_FILE', options.authMode), usingDevelopmentTokens: false };
  }
  if (options.oidcConfigured) return { entries: [], usingDevelopmentTokens: false };
  if (options.authMode !== 'development') {
    throw new AuthConfigError(
      `no authentication configured (AUTH_MODE ${options.authMode}): set AUTH_TOKENS, AUTH_TOKENS_FILE or OIDC_ISSUER; ` +
        'the development tokens need AUTH_MODE=development (or NODE_ENV=development). Refusing to start.',
    );
  }
  return { entries: DEVELOPMENT_TOKENS, usingDevelopmentTokens: true };
}

/** Looks tokens up by their SHA-256 so that comparison time does not depend on the token. */
export class TokenTable implements Authenticator {
  private readonly byDigest = new Map<string, { digest: Buffer; actor: Actor }>();
  private readonly subjects = new Set<string>();

  constructor(entries: TokenEntry[]) {
    for (const e of entries) {
      const d = e.token !== undefined ? sha256(e.token) : Buffer.from(e.tokenSha256, 'hex');
      this.byDigest.set(d.toString('hex'), { digest: d, actor: { subject: e.subject, roles: [...e.roles], organisation: e.organisation } });
      this.subjects.add(e.subject);
    }
  }

  async authenticate(token: string): Promise<Actor | undefined> {
    return this.resolve(token);
  }

  resolve(token: string): Actor | undefined {
    const d = sha256(token);
    const found = this.byDigest.get(d.toString('hex'));
    return found && timingSafeEqual(found.digest, d) ? { ...found.actor, roles: [...found.actor.roles] } : undefined;
  }

  /** Whether a subject of the table: an OpenID Connect principal may not pass for one. */
  hasSubject(subject: string): boolean {
    return this.subjects.has(subject);
  }
}
