import { ConfigError, DEVELOPMENT_WEBHOOK_SECRET_KEY, loadConfig } from './app-config';

const OIDC = { OIDC_ISSUER: 'https://sso.example.gouv.fr/realms/ledger', OIDC_AUDIENCE: 'convention-ledger', OIDC_JWKS_URL: 'https://sso.example.gouv.fr/realms/ledger/protocol/openid-connect/certs' };

describe('loadConfig: authentication, rate limit, time-outs', () => {
  it.each<[Record<string, string>, string]>([
    [{}, 'production'],
    [{ NODE_ENV: 'production' }, 'production'],
    [{ NODE_ENV: 'Production' }, 'production'],
    [{ NODE_ENV: 'prod' }, 'production'],
    [{ NODE_ENV: 'Development' }, 'production'],
    [{ NODE_ENV: 'development' }, 'development'],
    [{ NODE_ENV: 'test' }, 'test'],
    [{ AUTH_MODE: 'development' }, 'development'],
    [{ AUTH_MODE: 'development', NODE_ENV: 'production' }, 'development'],
    [{ AUTH_MODE: 'production', NODE_ENV: 'development' }, 'production'],
  ])('development only when asked for in so many words: %j → %s', (env, mode) => {
    expect(loadConfig(env).authMode).toBe(mode);
  });

  it('refuses an unknown AUTH_MODE', () => {
    expect(() => loadConfig({ AUTH_MODE: 'dev' })).toThrow(/AUTH_MODE/);
  });

  it('reads OpenID Connect with its defaults', () => {
    expect(loadConfig(OIDC).oidc).toEqual({
      issuer: OIDC.OIDC_ISSUER,
      audiences: ['convention-ledger'],
      jwksUrl: OIDC.OIDC_JWKS_URL,
      algorithms: ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'ES512', 'EdDSA', 'Ed25519'],
      clockToleranceSeconds: 30,
      jwksCooldownSeconds: 30,
      subjectClaim: 'sub',
      rolesClaim: 'roles',
      organisationClaim: 'organisation',
    });
    const custom = loadConfig({ ...OIDC, OIDC_AUDIENCE: 'a, b', OIDC_ALGORITHMS: 'ES256', OIDC_ROLES_CLAIM: 'realm_access.roles', OIDC_CLOCK_TOLERANCE_SECONDS: '5' }).oidc;
    expect(custom).toMatchObject({ audiences: ['a', 'b'], algorithms: ['ES256'], rolesClaim: 'realm_access.roles', clockToleranceSeconds: 5 });
    expect(loadConfig({}).oidc).toBeUndefined();
  });

  it.each<[string, Record<string, string>, RegExp]>([
    ['no audience', { ...OIDC, OIDC_AUDIENCE: '' }, /OIDC_AUDIENCE/],
    ['no key set URL', { ...OIDC, OIDC_JWKS_URL: '' }, /OIDC_JWKS_URL/],
    ['a key set over http in production', { ...OIDC, OIDC_JWKS_URL: 'http://sso.internal/certs' }, /https/],
    ['a key set URL that is not one', { ...OIDC, OIDC_JWKS_URL: 'certs' }, /OIDC_JWKS_URL/],
    ['a symmetric algorithm', { ...OIDC, OIDC_ALGORITHMS: 'RS256,HS256' }, /asymmetric/],
    ['alg none', { ...OIDC, OIDC_ALGORITHMS: 'none' }, /asymmetric/],
    ['a clock tolerance over 5 minutes', { ...OIDC, OIDC_CLOCK_TOLERANCE_SECONDS: '301' }, /OIDC_CLOCK_TOLERANCE_SECONDS/],
    ['a claim with spaces', { ...OIDC, OIDC_SUBJECT_CLAIM: 'my claim' }, /OIDC_SUBJECT_CLAIM/],
    ['OIDC settings without an issuer', { OIDC_AUDIENCE: 'x' }, /without OIDC_ISSUER/],
    ['a negative rate limit', { RATE_LIMIT_PER_MINUTE: '-1' }, /RATE_LIMIT_PER_MINUTE/],
    ['a rate limit that is not an integer', { RATE_LIMIT_PER_MINUTE: '10.5' }, /RATE_LIMIT_PER_MINUTE/],
    ['headers allowed longer than the request', { HTTP_HEADERS_TIMEOUT_MS: '40000', HTTP_REQUEST_TIMEOUT_MS: '30000' }, /HTTP_HEADERS_TIMEOUT_MS/],
    ['a time-out of 0 (none)', { HTTP_KEEP_ALIVE_TIMEOUT_MS: '0' }, /HTTP_KEEP_ALIVE_TIMEOUT_MS/],
    ['a TRUST_PROXY of another shape', { TRUST_PROXY: 'everyone!' }, /TRUST_PROXY/],
  ])('refuses %s', (_label, env, message) => {
    expect(() => loadConfig(env)).toThrow(ConfigError);
    expect(() => loadConfig(env)).toThrow(message);
  });

  it('accepts a key set over http outside production (a local identity provider)', () => {
    expect(loadConfig({ ...OIDC, OIDC_JWKS_URL: 'http://127.0.0.1:8080/certs', NODE_ENV: 'test' }).oidc?.jwksUrl).toBe('http://127.0.0.1:8080/certs');
  });

  it('has documented defaults for the rate limit, the proxy and the time-outs', () => {
    const config = loadConfig({});
    expect(config.rateLimitPerMinute).toBe(600);
    expect(config.trustProxy).toBe(false);
    expect(config.httpTimeouts).toEqual({ headersMs: 10_000, requestMs: 30_000, keepAliveMs: 5_000 });
    expect(loadConfig({ RATE_LIMIT_PER_MINUTE: '0' }).rateLimitPerMinute).toBe(0);
    expect(loadConfig({ TRUST_PROXY: '1' }).trustProxy).toBe(1);
    expect(loadConfig({ TRUST_PROXY: 'loopback, 10.0.0.0/8' }).trustProxy).toBe('loopback, 10.0.0.0/8');
  });

  it('sends a live feed\'s heartbeat every 15 s unless SSE_HEARTBEAT_SECONDS says otherwise (1 to 3600)', () => {
    expect(loadConfig({}).sseHeartbeatSeconds).toBe(15);
    expect(loadConfig({ SSE_HEARTBEAT_SECONDS: '1' }).sseHeartbeatSeconds).toBe(1);
    expect(() => loadConfig({ SSE_HEARTBEAT_SECONDS: '0' })).toThrow(/SSE_HEARTBEAT_SECONDS/);
  });

  it('keeps 10,000 streams and 500,000 folded events in the executor unless STREAM_CACHE_STREAMS/_EVENTS say otherwise (0 keeps none)', () => {
    expect(loadConfig({}).streamCache).toEqual({ streams: 10_000, events: 500_000 });
    expect(loadConfig({ STREAM_CACHE_STREAMS: '0', STREAM_CACHE_EVENTS: '2000000' }).streamCache).toEqual({ streams: 0, events: 2_000_000 });
    for (const value of ['-1', '1.5', 'many', '20000000']) {
      expect(() => loadConfig({ STREAM_CACHE_STREAMS: value })).toThrow(/STREAM_CACHE_STREAMS must be an integer from 0 to 10000000/);
    }
    expect(() => loadConfig({ STREAM_CACHE_EVENTS: '-5' })).toThrow(/STREAM_CACHE_EVENTS/);
  });
});

describe('loadConfig: webhooks', () => {
  it('reads the defaults: 3 days of retries from 5 s, 10 s time-out, nothing allow-listed', () => {
    expect(loadConfig({ NODE_ENV: 'test' }).webhooks).toEqual({
      secretKey: DEVELOPMENT_WEBHOOK_SECRET_KEY, allowedHosts: [], retryPeriodMs: 259_200_000, retryBaseDelayMs: 5_000, retryMaxDelayMs: 3_600_000, timeoutMs: 10_000,
    });
  });

  it('has no key in production unless given one (webhooks off), and refuses a short or the development key', () => {
    expect(loadConfig({}).webhooks.secretKey).toBeUndefined();
    expect(loadConfig({ WEBHOOK_SECRET_KEY: 'k'.repeat(32) }).webhooks.secretKey).toBe('k'.repeat(32));
    expect(() => loadConfig({ WEBHOOK_SECRET_KEY: 'short' })).toThrow(/WEBHOOK_SECRET_KEY/);
    expect(() => loadConfig({ WEBHOOK_SECRET_KEY: DEVELOPMENT_WEBHOOK_SECRET_KEY })).toThrow(/development key/);
  });

  it('reads the allow-list and the delays', () => {
    const config = loadConfig({ NODE_ENV: 'test', WEBHOOK_ALLOWED_HOSTS: ' Hooks.Internal , 127.0.0.1:8080,', WEBHOOK_RETRY_PERIOD_MS: '0', WEBHOOK_TIMEOUT_MS: '500' });
    expect(config.webhooks).toMatchObject({ allowedHosts: ['hooks.internal', '127.0.0.1:8080'], retryPeriodMs: 0, timeoutMs: 500 });
    expect(() => loadConfig({ NODE_ENV: 'test', WEBHOOK_RETRY_BASE_DELAY_MS: '10000', WEBHOOK_RETRY_MAX_DELAY_MS: '1000' })).toThrow(/must not exceed/);
  });
});
