import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { AuthConfigError, DEVELOPMENT_TOKENS, estimateTokenBits, loadTokenEntries, looksLikeJwt, TokenTable, tokenWeakness } from './auth-tokens';

const STRONG = 'kq3V9x_T2mPz8LwR4nYb7c'; // 22 base64url characters: 132 bits
const sha256 = (token: string) => createHash('sha256').update(token).digest('hex');

describe('bearer token configuration', () => {
  const valid = JSON.stringify([{ token: STRONG, subject: 'anct', roles: ['funder'], organisation: '130026032' }]);

  it('reads AUTH_TOKENS, then AUTH_TOKENS_FILE', () => {
    expect(loadTokenEntries({ authTokens: valid, authMode: 'production' }).entries[0].subject).toBe('anct');
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'tokens-')), 'tokens.json');
    fs.writeFileSync(file, valid);
    expect(loadTokenEntries({ authTokensFile: file, authMode: 'production' })).toEqual({ entries: JSON.parse(valid), usingDevelopmentTokens: false });
  });

  it('uses the development tokens in development mode only, and only when nothing else is configured', () => {
    expect(loadTokenEntries({ authMode: 'development' })).toEqual({ entries: DEVELOPMENT_TOKENS, usingDevelopmentTokens: true });
    expect(() => loadTokenEntries({ authMode: 'production' })).toThrow(AuthConfigError);
    expect(() => loadTokenEntries({ authMode: 'test' })).toThrow(/AUTH_MODE=development/);
    expect(loadTokenEntries({ authMode: 'development', oidcConfigured: true })).toEqual({ entries: [], usingDevelopmentTokens: false });
    expect(loadTokenEntries({ authMode: 'production', oidcConfigured: true })).toEqual({ entries: [], usingDevelopmentTokens: false });
  });

  it.each([
    ['not JSON', '{'],
    ['not an array', '{}'],
    ['a short token', JSON.stringify([{ token: 'short', subject: 's', roles: ['funder'], organisation: 'o' }])],
    ['a token with a space', JSON.stringify([{ token: 'long enough token', subject: 's', roles: ['funder'], organisation: 'o' }])],
    ['a token shaped like a JWT', JSON.stringify([{ token: 'aaaa.bbbb.cccc', subject: 's', roles: ['funder'], organisation: 'o' }])],
    ['both token and tokenSha256', JSON.stringify([{ token: 'long-enough-token', tokenSha256: sha256('x'), subject: 's', roles: ['funder'], organisation: 'o' }])],
    ['a digest that is not 64 hex digits', JSON.stringify([{ tokenSha256: 'abc', subject: 's', roles: ['funder'], organisation: 'o' }])],
    ['the same token twice (once as a digest)', JSON.stringify([
      { token: 'long-enough-token', subject: 's', roles: ['funder'], organisation: 'o' },
      { tokenSha256: sha256('long-enough-token'), subject: 't', roles: ['funder'], organisation: 'o' },
    ])],
    ['an unknown role', JSON.stringify([{ token: 'long-enough-token', subject: 's', roles: ['admin'], organisation: 'o' }])],
    ['no role', JSON.stringify([{ token: 'long-enough-token', subject: 's', roles: [], organisation: 'o' }])],
    ['no subject', JSON.stringify([{ token: 'long-enough-token', roles: ['funder'], organisation: 'o' }])],
    ['no organisation', JSON.stringify([{ token: 'long-enough-token', subject: 's', roles: ['funder'] }])],
    ['an organisation over 64 characters', JSON.stringify([{ token: 'long-enough-token', subject: 's', roles: ['funder'], organisation: 'o'.repeat(65) }])],
    ['every organisation for a role that is not auditor', JSON.stringify([{ token: 'long-enough-token', subject: 's', roles: ['auditor', 'funder'], organisation: '*' }])],
    ['a null entry', JSON.stringify([null])],
  ])('rejects %s in every mode, with a message naming the source', (_label, json) => {
    expect(() => loadTokenEntries({ authTokens: json, authMode: 'test' })).toThrow(/AUTH_TOKENS/);
  });

  it.each([
    ['a weak token', 'token-funder-anct', /too weak/],
    ['32 hex digits less one', 'a3f9'.repeat(8).slice(1), /too weak/],
    ['a long token of few distinct characters', '0'.repeat(64), /too few characters/],
    ['a development token', 'dev-funder', /development token|too weak/],
    ['an example token', 'EXAMPLE-ONLY-funder-replace-me-0000000000000000', /example token/],
  ])('refuses %s in production only, without printing it', (_label, token, message) => {
    const json = JSON.stringify([{ token, subject: 's', roles: ['funder'], organisation: 'o' }]);
    expect(() => loadTokenEntries({ authTokens: json, authMode: 'production' })).toThrow(message);
    try {
      loadTokenEntries({ authTokens: json, authMode: 'production' });
    } catch (error) {
      expect((error as Error).message).not.toContain(token);
    }
    expect(loadTokenEntries({ authTokens: json, authMode: 'test' }).entries).toHaveLength(1);
  });

  it('refuses the digest of a development token in production', () => {
    const json = JSON.stringify([{ tokenSha256: sha256('dev-auditor'), subject: 's', roles: ['auditor'], organisation: '*' }]);
    expect(() => loadTokenEntries({ authTokens: json, authMode: 'production' })).toThrow(/development token/);
  });

  it('estimates a token\'s strength from the smallest alphabet that holds it', () => {
    expect(estimateTokenBits('a3f9'.repeat(8))).toBe(128); // 32 hex digits
    expect(estimateTokenBits(STRONG)).toBe(132); // 22 base64url characters
    expect(estimateTokenBits('1'.repeat(39))).toBeCloseTo(129.6, 1); // 39 decimal digits
    expect(tokenWeakness('a3f9b2c7'.repeat(4))).toBeUndefined();
    expect(tokenWeakness(Buffer.alloc(32, 7).toString('base64'))).toMatch(/distinct/);
    expect(tokenWeakness('kq3V9x_T2mPz8LwR4nYb7')).toMatch(/126 bits/);
  });

  it('resolves a known token, or its digest, to its principal, and nothing else', () => {
    const digestEntry = { tokenSha256: sha256('an0ther-Str0ng-t0ken-value_x').toUpperCase(), subject: 'dinum', roles: ['beneficiary'], organisation: '120027016' };
    const { entries } = loadTokenEntries({ authTokens: JSON.stringify([...JSON.parse(valid), digestEntry]), authMode: 'production' });
    const table = new TokenTable(entries);
    expect(table.resolve(STRONG)).toEqual({ subject: 'anct', roles: ['funder'], organisation: '130026032' });
    expect(table.resolve('an0ther-Str0ng-t0ken-value_x')).toEqual({ subject: 'dinum', roles: ['beneficiary'], organisation: '120027016' });
    expect(table.resolve(sha256('an0ther-Str0ng-t0ken-value_x'))).toBeUndefined(); // the digest is not a token
    expect(table.resolve(`${STRONG} `)).toBeUndefined();
    expect(table.resolve('')).toBeUndefined();
    expect(table.hasSubject('dinum')).toBe(true);
    expect(table.hasSubject('other')).toBe(false);
  });

  it('tells JWT-shaped tokens apart', () => {
    expect(looksLikeJwt('eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0.c2ln')).toBe(true);
    expect(looksLikeJwt('eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0.')).toBe(true); // alg none: empty signature
    expect(looksLikeJwt(STRONG)).toBe(false);
    expect(looksLikeJwt('a.b')).toBe(false);
  });
});
