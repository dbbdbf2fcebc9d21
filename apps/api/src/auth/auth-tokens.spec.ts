import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { AuthConfigError, DEVELOPMENT_TOKENS, loadTokenEntries, TokenTable } from './auth-tokens';

describe('bearer token configuration', () => {
  const valid = JSON.stringify([{ token: 'secret-funder-token', subject: 'anct', roles: ['funder'], organisation: '130026032' }]);

  it('reads AUTH_TOKENS, then AUTH_TOKENS_FILE', () => {
    expect(loadTokenEntries({ authTokens: valid, nodeEnv: 'production' }).entries[0].subject).toBe('anct');
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'tokens-')), 'tokens.json');
    fs.writeFileSync(file, valid);
    expect(loadTokenEntries({ authTokensFile: file, nodeEnv: 'production' })).toEqual({ entries: JSON.parse(valid), usingDevelopmentTokens: false });
  });

  it('refuses to run in production without tokens, and uses the development set elsewhere', () => {
    expect(() => loadTokenEntries({ nodeEnv: 'production' })).toThrow(AuthConfigError);
    expect(loadTokenEntries({ nodeEnv: 'development' })).toEqual({ entries: DEVELOPMENT_TOKENS, usingDevelopmentTokens: true });
  });

  it.each([
    ['not JSON', '{'],
    ['not an array', '{}'],
    ['a short token', JSON.stringify([{ token: 'short', subject: 's', roles: ['funder'], organisation: 'o' }])],
    ['an unknown role', JSON.stringify([{ token: 'long-enough-token', subject: 's', roles: ['admin'], organisation: 'o' }])],
    ['no subject', JSON.stringify([{ token: 'long-enough-token', roles: ['funder'], organisation: 'o' }])],
    ['no organisation', JSON.stringify([{ token: 'long-enough-token', subject: 's', roles: ['funder'] }])],
    ['an organisation over 64 characters', JSON.stringify([{ token: 'long-enough-token', subject: 's', roles: ['funder'], organisation: 'o'.repeat(65) }])],
    ['every organisation for a role that is not auditor', JSON.stringify([{ token: 'long-enough-token', subject: 's', roles: ['auditor', 'funder'], organisation: '*' }])],
  ])('rejects %s with a message naming the source', (_label, json) => {
    expect(() => loadTokenEntries({ authTokens: json, nodeEnv: 'production' })).toThrow(/AUTH_TOKENS/);
  });

  it('resolves a known token to its subject and roles, and nothing else', () => {
    const table = new TokenTable(loadTokenEntries({ authTokens: valid, nodeEnv: 'production' }).entries);
    expect(table.resolve('secret-funder-token')).toEqual({ subject: 'anct', roles: ['funder'], organisation: '130026032' });
    expect(table.resolve('secret-funder-token ')).toBeUndefined();
    expect(table.resolve('')).toBeUndefined();
  });
});
