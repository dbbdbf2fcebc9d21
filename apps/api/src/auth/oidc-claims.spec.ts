import { actorFromClaims, readClaim } from './oidc-authenticator';

const CLAIMS = { subjectClaim: 'sub', rolesClaim: 'realm_access.roles', organisationClaim: 'organisation' };

describe('OpenID Connect claims → principal', () => {
  it('reads a claim by name, by dotted path, and a claim whose name holds dots', () => {
    const payload = { sub: 'u1', realm_access: { roles: ['funder'] }, 'https://example.org/org': 'x', a: { b: null } };
    expect(readClaim(payload, 'sub')).toBe('u1');
    expect(readClaim(payload, 'realm_access.roles')).toEqual(['funder']);
    expect(readClaim(payload, 'https://example.org/org')).toBe('x');
    expect(readClaim(payload, 'realm_access.missing')).toBeUndefined();
    expect(readClaim(payload, 'a.b.c')).toBeUndefined();
    expect(readClaim(payload, 'sub.length')).toBeUndefined();
    expect(readClaim(payload, 'realm_access.roles.0')).toBeUndefined(); // no indexing into arrays
  });

  it('keeps the known roles and drops the identity provider\'s own (offline_access…)', () => {
    const actor = actorFromClaims({ sub: 'u1', realm_access: { roles: ['offline_access', 'funder', 'uma_authorization', 'funder'] }, organisation: '130026032' }, CLAIMS);
    expect(actor).toEqual({ subject: 'u1', roles: ['funder'], organisation: '130026032' });
    expect(actorFromClaims({ sub: 'u1', roles: 'auditor other', organisation: '*' }, { ...CLAIMS, rolesClaim: 'roles' })).toEqual({ subject: 'u1', roles: ['auditor'], organisation: '*' });
  });

  it.each<[string, Record<string, unknown>, RegExp]>([
    ['no subject', { realm_access: { roles: ['funder'] }, organisation: 'o' }, /subject/],
    ['an empty subject', { sub: '', realm_access: { roles: ['funder'] }, organisation: 'o' }, /subject/],
    ['no roles claim', { sub: 'u', organisation: 'o' }, /role/],
    ['no known role', { sub: 'u', realm_access: { roles: ['admin', 'offline_access'] }, organisation: 'o' }, /role/],
    ['roles of the wrong type', { sub: 'u', realm_access: { roles: { funder: true } }, organisation: 'o' }, /role/],
    ['no organisation', { sub: 'u', realm_access: { roles: ['funder'] } }, /organisation/],
    ['an organisation list', { sub: 'u', realm_access: { roles: ['funder'] }, organisation: ['o'] }, /organisation/],
    ['an organisation over 64 characters', { sub: 'u', realm_access: { roles: ['funder'] }, organisation: 'o'.repeat(65) }, /organisation/],
    ['every organisation for a funder', { sub: 'u', realm_access: { roles: ['auditor', 'funder'] }, organisation: '*' }, /auditors only/],
  ])('names no principal with %s', (_label, payload, reason) => {
    expect(actorFromClaims(payload, CLAIMS)).toMatch(reason);
  });
});
