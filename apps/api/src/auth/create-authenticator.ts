import { Logger } from '@nestjs/common';
import type { AppConfig } from '@cl/config';
import { loadTokenEntries, looksLikeJwt, TokenTable } from './auth-tokens';
import type { Authenticator } from './authenticator';
import { OidcAuthenticator } from './oidc-authenticator';
import type { Actor } from './roles';

/**
 * The static table and OpenID Connect side by side: a token shaped like a JWT goes to OpenID
 * Connect, any other to the table. An OpenID Connect principal whose subject is also a subject of
 * the table is refused: the two would share idempotency keys and D2's separation of signatories.
 */
export class CompositeAuthenticator implements Authenticator {
  private readonly logger = new Logger('Authentication');

  constructor(
    private readonly table: TokenTable | undefined,
    private readonly oidc: Authenticator | undefined,
  ) {}

  async authenticate(token: string): Promise<Actor | undefined> {
    if (this.oidc && looksLikeJwt(token)) {
      const actor = await this.oidc.authenticate(token);
      if (actor && this.table?.hasSubject(actor.subject)) {
        this.logger.warn(`OpenID Connect subject ${JSON.stringify(actor.subject)} is also a subject of the token table: refused`);
        return undefined;
      }
      return actor;
    }
    return this.table?.authenticate(token);
  }
}

export interface AuthenticationSetup {
  authenticator: Authenticator;
  /** The development tokens are active (main.ts prints them). */
  usingDevelopmentTokens: boolean;
  /** For the start-up log line: which sources accept tokens. */
  sources: string[];
}

/**
 * Configuration → the Authenticator. Throws AuthConfigError when nothing is configured outside
 * development mode, or when a static token is refused (weak, development or example token in
 * production); opens no connection (the key set is fetched on the first token).
 */
export function createAuthenticator(config: Pick<AppConfig, 'authMode' | 'authTokens' | 'authTokensFile' | 'oidc'>): AuthenticationSetup {
  const { entries, usingDevelopmentTokens } = loadTokenEntries({ ...config, oidcConfigured: config.oidc !== undefined });
  const table = entries.length ? new TokenTable(entries) : undefined;
  const oidc = config.oidc ? new OidcAuthenticator(config.oidc) : undefined;
  const sources = [
    ...(table ? [usingDevelopmentTokens ? 'development tokens' : `token table (${entries.length})`] : []),
    ...(config.oidc ? [`OpenID Connect (${config.oidc.issuer})`] : []),
  ];
  return { authenticator: new CompositeAuthenticator(table, oidc), usingDevelopmentTokens, sources };
}
