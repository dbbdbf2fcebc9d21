import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, exportSPKI, generateKeyPair, SignJWT, UnsecuredJWT, type CryptoKey, type JWK } from 'jose';
import { ledgerOver } from '../support/ledger-http';
import { SEED_CONVENTION_BODY } from '../support/seed-http';
import { bearer, startTestApp, TEST_TOKEN_TABLE, TEST_TOKENS, type TestApp } from '../support/test-app';

const ISSUER = 'https://sso.test.gouv.fr/realms/ledger';
const AUDIENCE = 'convention-ledger';
const ANCT = '130026032';

interface SigningKey {
  kid: string;
  alg: 'ES256' | 'RS256' | 'PS256';
  privateKey: CryptoKey;
  publicKey: CryptoKey;
  jwk: JWK;
}

async function signingKey(kid: string, alg: SigningKey['alg']): Promise<SigningKey> {
  const { privateKey, publicKey } = await generateKeyPair(alg, { extractable: true });
  return { kid, alg, privateKey, publicKey, jwk: { ...(await exportJWK(publicKey)), kid, alg, use: 'sig' } };
}

/** A local JSON Web Key Set endpoint, as Keycloak's `<issuer>/protocol/openid-connect/certs`. */
class JwksServer {
  keys: JWK[] = [];
  failing = false;
  fetches = 0;
  private readonly server = http.createServer((_req, res) => {
    this.fetches++;
    if (this.failing) return res.writeHead(500).end('down');
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ keys: this.keys }));
  });

  async start(): Promise<string> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/realms/ledger/protocol/openid-connect/certs`;
  }

  close(): Promise<void> {
    this.server.closeAllConnections();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}

const now = () => Math.floor(Date.now() / 1000);

interface TokenOptions {
  key: SigningKey;
  claims?: Record<string, unknown>;
  iss?: string;
  aud?: string | string[];
  exp?: number;
  nbf?: number;
}

const FUNDER_CLAIMS = { sub: 'proconnect-alice', realm_access: { roles: ['offline_access', 'funder'] }, organisation: ANCT };

function token({ key, claims = FUNDER_CLAIMS, iss = ISSUER, aud = AUDIENCE, exp = now() + 300, nbf }: TokenOptions): Promise<string> {
  const jwt = new SignJWT(claims).setProtectedHeader({ alg: key.alg, kid: key.kid, typ: 'JWT' }).setIssuer(iss).setAudience(aud).setIssuedAt().setExpirationTime(exp);
  if (nbf !== undefined) jwt.setNotBefore(nbf);
  return jwt.sign(key.privateKey);
}

/**
 * OpenID Connect bearer tokens beside the static table, verified against a local key set:
 * signature, issuer, audience, expiry and not-before (30 s of tolerance), asymmetric algorithms
 * only, the principal from the configured claims (OIDC_ROLES_CLAIM=realm_access.roles here).
 */
describe('OpenID Connect bearer tokens', () => {
  const jwks = new JwksServer();
  let t: TestApp;
  let es: SigningKey;
  let rs: SigningKey;

  beforeAll(async () => {
    [es, rs] = await Promise.all([signingKey('key-es', 'ES256'), signingKey('key-rs', 'RS256')]);
    jwks.keys = [es.jwk, rs.jwk];
    const jwksUrl = await jwks.start();
    t = await startTestApp({
      OIDC_ISSUER: ISSUER,
      OIDC_AUDIENCE: AUDIENCE,
      OIDC_JWKS_URL: jwksUrl,
      OIDC_ROLES_CLAIM: 'realm_access.roles',
      // Every unknown key id may fetch the key set again (30 s between fetches by default).
      OIDC_JWKS_COOLDOWN_SECONDS: '0',
    });
  });
  afterAll(async () => {
    await t.close();
    await jwks.close();
  });

  const headPosition = () => ledgerOver(t).headPosition();

  /**
   * A token verified with a key the set holds, so that the key set is loaded: a test that counts
   * fetches may run first (random order), and the very first verification fetches the set once
   * before it looks for the key id.
   */
  async function loadKeySet(): Promise<void> {
    await t.http.get('/conventions').set(bearer(await token({ key: rs }))).expect(200);
  }

  /** A registration under this token: 401 with the API's error body, and nothing recorded. */
  async function expectRefused(jwt: string): Promise<void> {
    const before = await headPosition();
    const res = await t.http.post('/conventions').set(bearer(jwt)).send({ ...SEED_CONVENTION_BODY, reference: `OIDC-REFUSED-${before}` });
    expect(res.status).toBe(401);
    expect(res.body).toEqual({ statusCode: 401, code: 'UNAUTHENTICATED', message: expect.any(String) });
    expect(res.headers['www-authenticate']).toBe('Bearer');
    expect(await headPosition()).toBe(before);
  }

  it('accepts a valid token: the principal is the claims\' (subject, known roles, organisation), recorded on the event', async () => {
    const created = await t.http.post('/conventions').set(bearer(await token({ key: es }))).send({ ...SEED_CONVENTION_BODY, reference: 'OIDC-1' }).expect(201);
    const events = await t.http.get(`/conventions/${created.body.id}/events?minPosition=${created.body.position}`).set(bearer(TEST_TOKENS.auditor)).expect(200);
    expect(events.body.events[0].actor).toEqual({ subject: 'proconnect-alice', roles: ['funder'], organisation: ANCT });
    // RS256 too, and the static table still answers beside OpenID Connect.
    await t.http.get('/conventions').set(bearer(await token({ key: rs }))).expect(200);
    await t.http.get('/conventions').set(bearer(TEST_TOKENS.funder)).expect(200);
  });

  it('allows 30 s of clock skew on exp and nbf', async () => {
    await t.http.get('/conventions').set(bearer(await token({ key: es, exp: now() - 10 }))).expect(200);
    await t.http.get('/conventions').set(bearer(await token({ key: es, nbf: now() + 10 }))).expect(200);
  });

  it('refuses an expired token', async () => {
    await expectRefused(await token({ key: es, exp: now() - 60 }));
  });

  it('refuses a token not yet valid', async () => {
    await expectRefused(await token({ key: es, nbf: now() + 120 }));
  });

  it('refuses a token without exp', async () => {
    await expectRefused(await new SignJWT(FUNDER_CLAIMS).setProtectedHeader({ alg: 'ES256', kid: es.kid }).setIssuer(ISSUER).setAudience(AUDIENCE).sign(es.privateKey));
  });

  it('refuses a token for another audience', async () => {
    await expectRefused(await token({ key: es, aud: 'account' }));
  });

  it('refuses a token from another issuer', async () => {
    await expectRefused(await token({ key: es, iss: 'https://sso.test.gouv.fr/realms/other' }));
  });

  it('refuses a token signed by a key the key set does not hold (after fetching it again)', async () => {
    const stranger = await signingKey('key-unknown', 'ES256');
    await loadKeySet();
    const fetches = jwks.fetches;
    await expectRefused(await token({ key: stranger }));
    expect(jwks.fetches).toBe(fetches + 1);
    // The right key id with another key's signature: refused too.
    await expectRefused(await token({ key: { ...stranger, kid: es.kid } }));
  });

  it('follows a key rotation: a token signed with the new key is accepted once the key set is fetched again', async () => {
    const next = await signingKey('key-es-2', 'ES256');
    const jwt = await token({ key: next, claims: { ...FUNDER_CLAIMS, sub: 'proconnect-rotated' } });
    await loadKeySet();
    jwks.keys = [next.jwk, rs.jwk];
    const fetches = jwks.fetches;
    await t.http.get('/conventions').set(bearer(jwt)).expect(200);
    expect(jwks.fetches).toBe(fetches + 1);
    // The retired key no longer verifies.
    await expectRefused(await token({ key: es }));
    jwks.keys = [es.jwk, rs.jwk, next.jwk];
  });

  it('refuses alg none', async () => {
    const unsigned = new UnsecuredJWT(FUNDER_CLAIMS).setIssuer(ISSUER).setAudience(AUDIENCE).setIssuedAt().setExpirationTime(now() + 300).encode();
    await expectRefused(unsigned);
    // The same with a key id, and with a signature appended.
    const [header, payload] = unsigned.split('.');
    const withKid = Buffer.from(JSON.stringify({ alg: 'none', kid: es.kid })).toString('base64url');
    await expectRefused(`${withKid}.${payload}.`);
    await expectRefused(`${header}.${payload}.c2lnbmF0dXJl`);
  });

  it('refuses HS256 signed with the public key as the secret (algorithm confusion)', async () => {
    const secrets = [new TextEncoder().encode(await exportSPKI(rs.publicKey)), new TextEncoder().encode(JSON.stringify(rs.jwk))];
    for (const secret of secrets) {
      const forged = await new SignJWT(FUNDER_CLAIMS).setProtectedHeader({ alg: 'HS256', kid: rs.kid }).setIssuer(ISSUER).setAudience(AUDIENCE).setExpirationTime(now() + 300).sign(secret);
      await expectRefused(forged);
    }
  });

  it('refuses a token without the organisation claim', async () => {
    const { organisation: _, ...claims } = FUNDER_CLAIMS;
    await expectRefused(await token({ key: es, claims }));
  });

  it('refuses a token whose roles claim holds no known role', async () => {
    await expectRefused(await token({ key: es, claims: { ...FUNDER_CLAIMS, realm_access: { roles: ['offline_access', 'admin'] } } }));
    await expectRefused(await token({ key: es, claims: { ...FUNDER_CLAIMS, roles: ['funder'], realm_access: undefined } }));
  });

  it('refuses a token without a subject', async () => {
    const { sub: _, ...claims } = FUNDER_CLAIMS;
    await expectRefused(await token({ key: es, claims }));
  });

  it('gives every organisation ("*") to auditors only', async () => {
    await expectRefused(await token({ key: es, claims: { ...FUNDER_CLAIMS, organisation: '*' } }));
    const auditor = await token({ key: es, claims: { sub: 'ccomptes-bob', realm_access: { roles: ['auditor'] }, organisation: '*' } });
    await t.http.get('/conventions').set(bearer(auditor)).expect(200);
  });

  it('refuses a token whose subject is one of the token table\'s', async () => {
    await expectRefused(await token({ key: es, claims: { ...FUNDER_CLAIMS, sub: TEST_TOKEN_TABLE[0].subject } }));
  });

  it('answers 503 AUTHENTICATION_UNAVAILABLE, recording nothing, when the key set cannot be fetched', async () => {
    jwks.failing = true;
    try {
      const before = await headPosition();
      const unknownKid = await token({ key: { ...es, kid: 'key-while-down' } });
      const res = await t.http.post('/conventions').set(bearer(unknownKid)).send({ ...SEED_CONVENTION_BODY, reference: 'OIDC-DOWN' }).expect(503);
      expect(res.body).toMatchObject({ statusCode: 503, code: 'AUTHENTICATION_UNAVAILABLE' });
      expect(res.headers['retry-after']).toBe('5');
      expect(await headPosition()).toBe(before);
    } finally {
      jwks.failing = false;
    }
  });
});
