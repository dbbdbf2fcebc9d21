import * as fs from 'node:fs';
import { createHash, timingSafeEqual } from 'node:crypto';
import type { Authenticator } from './authenticator';
import { ALL_ORGANISATIONS, ROLES, type Actor, type Role } from './roles';

export interface TokenEntry {
  token: string;
  subject: string;
  roles: Role[];
  organisation: string;
}

export class AuthConfigError extends Error {}

/** Tokens a developer can use out of the box; never accepted with NODE_ENV=production. */
export const DEVELOPMENT_TOKENS: TokenEntry[] = [
  // The seed's parties (docs/examples/seed-convention.json): ANCT funds DINUM, whose public
  // accountant sits in another organisation (SCBCM-SPM).
  { token: 'dev-funder', subject: 'dev-funder', roles: ['funder'], organisation: '130026032' },
  { token: 'dev-beneficiary', subject: 'dev-beneficiary', roles: ['beneficiary'], organisation: '120027016' },
  { token: 'dev-authorizing-officer', subject: 'dev-authorizing-officer', roles: ['authorizing-officer'], organisation: '120027016' },
  { token: 'dev-public-accountant', subject: 'dev-public-accountant', roles: ['public-accountant'], organisation: 'SCBCM-SPM' },
  { token: 'dev-auditor', subject: 'dev-auditor', roles: ['auditor'], organisation: ALL_ORGANISATIONS },
];

function parseTokenEntries(json: string, source: string): TokenEntry[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(json);
  } catch {
    throw new AuthConfigError(`${source} is not valid JSON`);
  }
  if (!Array.isArray(parsed)) throw new AuthConfigError(`${source} must be a JSON array of {token, subject, roles, organisation}`);
  return parsed.map((entry, index) => {
    const e = entry as Partial<TokenEntry>;
    if (typeof e?.token !== 'string' || e.token.length < 8) throw new AuthConfigError(`${source}[${index}].token must be a string of at least 8 characters`);
    if (typeof e.subject !== 'string' || !e.subject) throw new AuthConfigError(`${source}[${index}].subject must be a non-empty string`);
    if (!Array.isArray(e.roles) || e.roles.some((r) => !(ROLES as readonly string[]).includes(r))) {
      throw new AuthConfigError(`${source}[${index}].roles must list roles among ${ROLES.join(', ')}`);
    }
    if (typeof e.organisation !== 'string' || e.organisation.length < 1 || e.organisation.length > 64) {
      throw new AuthConfigError(`${source}[${index}].organisation must be an organisation identifier of 1 to 64 characters, or "${ALL_ORGANISATIONS}" for an auditor`);
    }
    if (e.organisation === ALL_ORGANISATIONS && e.roles.some((r) => r !== 'auditor')) {
      throw new AuthConfigError(`${source}[${index}].organisation "${ALL_ORGANISATIONS}" (every convention) is for auditors only`);
    }
    return { token: e.token, subject: e.subject, roles: e.roles, organisation: e.organisation };
  });
}

/**
 * Resolves the token table from AUTH_TOKENS or AUTH_TOKENS_FILE. In production a missing table is
 * a start-up error; elsewhere the development tokens apply (and `usingDevelopmentTokens` says so,
 * so that main.ts can print them).
 */
export function loadTokenEntries(options: { authTokens?: string; authTokensFile?: string; nodeEnv: string }): {
  entries: TokenEntry[];
  usingDevelopmentTokens: boolean;
} {
  if (options.authTokens) return { entries: parseTokenEntries(options.authTokens, 'AUTH_TOKENS'), usingDevelopmentTokens: false };
  if (options.authTokensFile) {
    let text: string;
    try {
      text = fs.readFileSync(options.authTokensFile, 'utf8');
    } catch (e) {
      throw new AuthConfigError(`AUTH_TOKENS_FILE ${options.authTokensFile} cannot be read: ${(e as Error).message}`);
    }
    return { entries: parseTokenEntries(text, 'AUTH_TOKENS_FILE'), usingDevelopmentTokens: false };
  }
  if (options.nodeEnv === 'production') {
    throw new AuthConfigError('NODE_ENV=production needs AUTH_TOKENS or AUTH_TOKENS_FILE: refusing to start without configured tokens');
  }
  return { entries: DEVELOPMENT_TOKENS, usingDevelopmentTokens: true };
}

const digest = (token: string) => createHash('sha256').update(token).digest();

/** Looks tokens up by their SHA-256 so that comparison time does not depend on the token. */
export class TokenTable implements Authenticator {
  private readonly byDigest = new Map<string, { digest: Buffer; actor: Actor }>();

  constructor(entries: TokenEntry[]) {
    for (const e of entries) {
      const d = digest(e.token);
      this.byDigest.set(d.toString('hex'), { digest: d, actor: { subject: e.subject, roles: [...e.roles], organisation: e.organisation } });
    }
  }

  async authenticate(token: string): Promise<Actor | undefined> {
    return this.resolve(token);
  }

  resolve(token: string): Actor | undefined {
    const d = digest(token);
    const found = this.byDigest.get(d.toString('hex'));
    return found && timingSafeEqual(found.digest, d) ? found.actor : undefined;
  }
}
