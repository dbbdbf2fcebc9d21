import * as path from 'node:path';

/**
 * Everything the apps read from the environment, in one place. docker-compose.yml is checked
 * against ENV_VARIABLES by test/deployment/docker-compose.spec.ts.
 */
export interface AppConfig {
  nodeEnv: string;
  port: number;
  dataDir: string;
  eventStore: { kind: 'embedded'; file: string } | { kind: 'eventstoredb'; connectionString: string };
  /** SQLite file (default) or a postgres:// URL. */
  readModels: { kind: 'sqlite'; file: string } | { kind: 'postgres'; url: string };
  /** 'inline': the API process runs the projector; 'off': a separate apps/projector does. */
  projectorMode: 'inline' | 'off';
  /**
   * How strict authentication is (AUTH_MODE, else derived from NODE_ENV spelled exactly
   * 'development' or 'test'; anything else, unset included, is 'production'):
   * - development: the development tokens when nothing else is configured; weak tokens accepted;
   * - test: configured authentication required; weak tokens accepted (the test suites);
   * - production: configured authentication required; static tokens of at least 128 bits, never
   *   the development or example tokens.
   */
  authMode: AuthMode;
  authTokens?: string;
  authTokensFile?: string;
  /** OpenID Connect bearer JWTs, when OIDC_ISSUER is set. */
  oidc?: OidcConfig;
  /** Requests per minute per principal (per client IP when unauthenticated); 0 = no limit. */
  rateLimitPerMinute: number;
  /** Express's 'trust proxy' setting, for the client IP behind reverse proxies (TRUST_PROXY). */
  trustProxy: boolean | number | string;
  /** Node HTTP server time-outs, in milliseconds. */
  httpTimeouts: { headersMs: number; requestMs: number; keepAliveMs: number };
  /** Max JSON body size accepted by the API. */
  bodyLimit: string;
  /** Events per read and per read-model transaction in the projector. */
  projectorBatchSize: number;
  /** On SIGTERM/SIGINT, how long in-flight requests (and the projector's batch) may take to finish. */
  shutdownGraceMs: number;
  /** /health is not ready when DATA_DIR's file system has less free space than this (0: not checked). */
  healthMinFreeDiskBytes: number;
  /** Signed event deliveries to subscribers (docs/integrations.md). */
  webhooks: WebhooksConfig;
  /** Seconds between two heartbeat comments on an open Server-Sent Events feed (docs/api.md "Live feed"). */
  sseHeartbeatSeconds: number;
  /**
   * The command executor's folded stream states kept between commands (STREAM_CACHE_STREAMS,
   * STREAM_CACHE_EVENTS): at most this many streams, and this many events folded into them in
   * all, least recently used out first; 0 keeps none (docs/performance.md, "Command path").
   */
  streamCache: StreamCacheLimits;
}

export interface StreamCacheLimits {
  streams: number;
  events: number;
}

/** About 115 bytes of heap per event folded: 500,000 events are about 60 MB. */
export const DEFAULT_STREAM_CACHE: StreamCacheLimits = { streams: 10_000, events: 500_000 };

export interface WebhooksConfig {
  /**
   * The master key every subscription's signing secret is derived from (HKDF over the
   * subscription id): no secret is stored. Without it, subscriptions are refused (503) and
   * nothing is delivered; development and test modes fall back to a fixed, public key.
   */
  secretKey?: string;
  /** Host names or host:port that may resolve to loopback, private or link-local addresses. */
  allowedHosts: string[];
  /** How long a failing delivery is retried before it goes to the dead-letter list. */
  retryPeriodMs: number;
  /** The first retry waits about this long; each next one twice as long (with jitter), up to retryMaxDelayMs. */
  retryBaseDelayMs: number;
  retryMaxDelayMs: number;
  /** A delivery request that has not answered by then has failed. */
  timeoutMs: number;
}

/** The key development and test modes sign with when WEBHOOK_SECRET_KEY is unset: public, so never in production. */
export const DEVELOPMENT_WEBHOOK_SECRET_KEY = 'development-webhook-key-not-secret-never-use-in-production';

export type AuthMode = 'development' | 'test' | 'production';

export interface OidcConfig {
  /** Must equal the tokens' `iss` exactly. */
  issuer: string;
  /** The tokens' `aud` must contain one of these. */
  audiences: string[];
  /** The issuer's JSON Web Key Set (https:// in production). */
  jwksUrl: string;
  /** Accepted signature algorithms: asymmetric ones only. */
  algorithms: string[];
  /** Leeway on `exp` and `nbf`, in seconds. */
  clockToleranceSeconds: number;
  /** Least time between two fetches of the key set caused by an unknown key id, in seconds. */
  jwksCooldownSeconds: number;
  /** Claim names; a dotted path (`realm_access.roles`) reads nested objects. */
  subjectClaim: string;
  rolesClaim: string;
  organisationClaim: string;
}

/** The signature algorithms OIDC_ALGORITHMS may name: public-key ones, never HS* or none. */
export const ASYMMETRIC_JWT_ALGORITHMS = ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'ES512', 'EdDSA', 'Ed25519'] as const;

export const ENV_VARIABLES = [
  'NODE_ENV', 'PORT', 'DATA_DIR', 'EVENT_STORE', 'EVENTSTORE_CONNECTION_STRING', 'READ_MODELS_URL',
  'PROJECTOR_MODE', 'PROJECTOR_BATCH_SIZE', 'AUTH_MODE', 'AUTH_TOKENS', 'AUTH_TOKENS_FILE', 'BODY_LIMIT',
  'OIDC_ISSUER', 'OIDC_AUDIENCE', 'OIDC_JWKS_URL', 'OIDC_ALGORITHMS', 'OIDC_CLOCK_TOLERANCE_SECONDS',
  'OIDC_JWKS_COOLDOWN_SECONDS', 'OIDC_SUBJECT_CLAIM', 'OIDC_ROLES_CLAIM', 'OIDC_ORGANISATION_CLAIM',
  'RATE_LIMIT_PER_MINUTE', 'TRUST_PROXY', 'HTTP_HEADERS_TIMEOUT_MS', 'HTTP_REQUEST_TIMEOUT_MS', 'HTTP_KEEP_ALIVE_TIMEOUT_MS',
  'SHUTDOWN_GRACE_MS', 'HEALTH_MIN_FREE_DISK_MB',
  'WEBHOOK_SECRET_KEY', 'WEBHOOK_ALLOWED_HOSTS', 'WEBHOOK_RETRY_PERIOD_MS', 'WEBHOOK_RETRY_BASE_DELAY_MS', 'WEBHOOK_RETRY_MAX_DELAY_MS',
  'WEBHOOK_TIMEOUT_MS', 'SSE_HEARTBEAT_SECONDS',
] as const;

export class ConfigError extends Error {}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): AppConfig {
  const dataDir = path.resolve(env.DATA_DIR || './data');
  const port = Number(env.PORT || 3000);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new ConfigError(`PORT must be a port number, got ${env.PORT}`);

  const storeKind = env.EVENT_STORE || 'embedded';
  let eventStore: AppConfig['eventStore'];
  if (storeKind === 'embedded') {
    eventStore = { kind: 'embedded', file: path.join(dataDir, 'events.sqlite') };
  } else if (storeKind === 'eventstoredb') {
    const connectionString = env.EVENTSTORE_CONNECTION_STRING;
    if (!connectionString) throw new ConfigError('EVENT_STORE=eventstoredb needs EVENTSTORE_CONNECTION_STRING (esdb://...)');
    eventStore = { kind: 'eventstoredb', connectionString };
  } else {
    throw new ConfigError(`EVENT_STORE must be 'embedded' or 'eventstoredb', got '${storeKind}'`);
  }

  const url = env.READ_MODELS_URL;
  let readModels: AppConfig['readModels'];
  if (!url) readModels = { kind: 'sqlite', file: path.join(dataDir, 'read-models.sqlite') };
  else if (/^postgres(ql)?:\/\//.test(url)) readModels = { kind: 'postgres', url };
  else if (url.startsWith('sqlite:')) readModels = { kind: 'sqlite', file: path.resolve(url.slice('sqlite:'.length)) };
  else throw new ConfigError(`READ_MODELS_URL must be postgres://... or sqlite:<file>, got '${url}'`);

  const projectorMode = (env.PROJECTOR_MODE || 'inline') as AppConfig['projectorMode'];
  if (projectorMode !== 'inline' && projectorMode !== 'off') throw new ConfigError(`PROJECTOR_MODE must be 'inline' or 'off', got '${projectorMode}'`);

  const projectorBatchSize = Number(env.PROJECTOR_BATCH_SIZE || 500);
  if (!Number.isInteger(projectorBatchSize) || projectorBatchSize < 1 || projectorBatchSize > 100_000) {
    throw new ConfigError(`PROJECTOR_BATCH_SIZE must be an integer from 1 to 100000, got ${env.PROJECTOR_BATCH_SIZE}`);
  }

  const authMode = loadAuthMode(env);
  const headersMs = integer(env, 'HTTP_HEADERS_TIMEOUT_MS', 10_000, 1, 600_000);
  const requestMs = integer(env, 'HTTP_REQUEST_TIMEOUT_MS', 30_000, 1, 600_000);
  const keepAliveMs = integer(env, 'HTTP_KEEP_ALIVE_TIMEOUT_MS', 5_000, 1, 600_000);
  if (headersMs > requestMs) throw new ConfigError(`HTTP_HEADERS_TIMEOUT_MS (${headersMs}) must not exceed HTTP_REQUEST_TIMEOUT_MS (${requestMs})`);

  return {
    nodeEnv: env.NODE_ENV || 'development',
    port,
    dataDir,
    eventStore,
    readModels,
    projectorMode,
    authMode,
    authTokens: env.AUTH_TOKENS || undefined,
    authTokensFile: env.AUTH_TOKENS_FILE || undefined,
    oidc: loadOidc(env, authMode),
    rateLimitPerMinute: integer(env, 'RATE_LIMIT_PER_MINUTE', 600, 0, 1_000_000),
    trustProxy: loadTrustProxy(env.TRUST_PROXY),
    httpTimeouts: { headersMs, requestMs, keepAliveMs },
    bodyLimit: env.BODY_LIMIT || '100kb',
    projectorBatchSize,
    shutdownGraceMs: integer(env, 'SHUTDOWN_GRACE_MS', 10_000, 0, 600_000),
    healthMinFreeDiskBytes: integer(env, 'HEALTH_MIN_FREE_DISK_MB', 64, 0, 10_000_000) * 1024 * 1024,
    webhooks: loadWebhooks(env, authMode),
    sseHeartbeatSeconds: integer(env, 'SSE_HEARTBEAT_SECONDS', 15, 1, 3_600),
    streamCache: {
      streams: integer(env, 'STREAM_CACHE_STREAMS', DEFAULT_STREAM_CACHE.streams, 0, 10_000_000),
      events: integer(env, 'STREAM_CACHE_EVENTS', DEFAULT_STREAM_CACHE.events, 0, 1_000_000_000),
    },
  };
}

function loadWebhooks(env: NodeJS.ProcessEnv, authMode: AuthMode): WebhooksConfig {
  const secretKey = env.WEBHOOK_SECRET_KEY || (authMode === 'production' ? undefined : DEVELOPMENT_WEBHOOK_SECRET_KEY);
  if (secretKey !== undefined && secretKey.length < 32) throw new ConfigError('WEBHOOK_SECRET_KEY must be at least 32 characters (e.g. `openssl rand -base64 32`)');
  if (authMode === 'production' && secretKey === DEVELOPMENT_WEBHOOK_SECRET_KEY) throw new ConfigError('WEBHOOK_SECRET_KEY is the public development key: generate one (openssl rand -base64 32)');
  const allowedHosts = (env.WEBHOOK_ALLOWED_HOSTS ?? '').split(',').map((host) => host.trim().toLowerCase()).filter(Boolean);
  const retryBaseDelayMs = integer(env, 'WEBHOOK_RETRY_BASE_DELAY_MS', 5_000, 1, 86_400_000);
  const retryMaxDelayMs = integer(env, 'WEBHOOK_RETRY_MAX_DELAY_MS', 3_600_000, 1, 86_400_000);
  if (retryBaseDelayMs > retryMaxDelayMs) throw new ConfigError(`WEBHOOK_RETRY_BASE_DELAY_MS (${retryBaseDelayMs}) must not exceed WEBHOOK_RETRY_MAX_DELAY_MS (${retryMaxDelayMs})`);
  return {
    secretKey,
    allowedHosts,
    retryPeriodMs: integer(env, 'WEBHOOK_RETRY_PERIOD_MS', 3 * 86_400_000, 0, 30 * 86_400_000),
    retryBaseDelayMs,
    retryMaxDelayMs,
    timeoutMs: integer(env, 'WEBHOOK_TIMEOUT_MS', 10_000, 1, 120_000),
  };
}

function integer(env: NodeJS.ProcessEnv, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!/^\d+$/.test(raw) || !Number.isSafeInteger(value) || value < min || value > max) {
    throw new ConfigError(`${name} must be an integer from ${min} to ${max}, got '${raw}'`);
  }
  return value;
}

/** Development only when asked for in so many words: a NODE_ENV of 'Production' or 'prod' is production. */
function loadAuthMode(env: NodeJS.ProcessEnv): AuthMode {
  const explicit = env.AUTH_MODE;
  if (explicit) {
    if (explicit !== 'development' && explicit !== 'test' && explicit !== 'production') {
      throw new ConfigError(`AUTH_MODE must be 'development', 'test' or 'production', got '${explicit}'`);
    }
    return explicit;
  }
  if (env.NODE_ENV === 'development') return 'development';
  if (env.NODE_ENV === 'test') return 'test';
  return 'production';
}

const OIDC_DETAILS = ['OIDC_AUDIENCE', 'OIDC_JWKS_URL', 'OIDC_ALGORITHMS', 'OIDC_CLOCK_TOLERANCE_SECONDS', 'OIDC_JWKS_COOLDOWN_SECONDS', 'OIDC_SUBJECT_CLAIM', 'OIDC_ROLES_CLAIM', 'OIDC_ORGANISATION_CLAIM'];

function loadOidc(env: NodeJS.ProcessEnv, authMode: AuthMode): OidcConfig | undefined {
  const issuer = env.OIDC_ISSUER;
  if (!issuer) {
    const stray = OIDC_DETAILS.filter((name) => env[name]);
    if (stray.length) throw new ConfigError(`${stray.join(', ')} set without OIDC_ISSUER: set OIDC_ISSUER to accept OpenID Connect tokens, or remove them`);
    return undefined;
  }
  const audiences = (env.OIDC_AUDIENCE ?? '').split(',').map((a) => a.trim()).filter(Boolean);
  if (!audiences.length) throw new ConfigError('OIDC_ISSUER needs OIDC_AUDIENCE: the audience (client id) the tokens must be issued for');
  const jwksUrl = env.OIDC_JWKS_URL;
  if (!jwksUrl) throw new ConfigError('OIDC_ISSUER needs OIDC_JWKS_URL: the issuer\'s key set (Keycloak: <issuer>/protocol/openid-connect/certs)');
  let url: URL;
  try {
    url = new URL(jwksUrl);
  } catch {
    throw new ConfigError(`OIDC_JWKS_URL must be a URL, got '${jwksUrl}'`);
  }
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && authMode !== 'production')) {
    throw new ConfigError(`OIDC_JWKS_URL must be https:// (http:// only outside production), got '${jwksUrl}'`);
  }
  const algorithms = (env.OIDC_ALGORITHMS || ASYMMETRIC_JWT_ALGORITHMS.join(',')).split(',').map((a) => a.trim()).filter(Boolean);
  const refused = algorithms.filter((a) => !(ASYMMETRIC_JWT_ALGORITHMS as readonly string[]).includes(a));
  if (refused.length || !algorithms.length) {
    throw new ConfigError(`OIDC_ALGORITHMS may name only asymmetric algorithms (${ASYMMETRIC_JWT_ALGORITHMS.join(', ')}), got '${env.OIDC_ALGORITHMS}'`);
  }
  const claim = (name: string, fallback: string) => {
    const value = env[name] || fallback;
    if (!/^[^\s.]+(\.[^\s.]+)*$/.test(value)) throw new ConfigError(`${name} must be a claim name or a dotted path, got '${value}'`);
    return value;
  };
  return {
    issuer,
    audiences,
    jwksUrl: url.href,
    algorithms,
    clockToleranceSeconds: integer(env, 'OIDC_CLOCK_TOLERANCE_SECONDS', 30, 0, 300),
    jwksCooldownSeconds: integer(env, 'OIDC_JWKS_COOLDOWN_SECONDS', 30, 0, 3600),
    subjectClaim: claim('OIDC_SUBJECT_CLAIM', 'sub'),
    rolesClaim: claim('OIDC_ROLES_CLAIM', 'roles'),
    organisationClaim: claim('OIDC_ORGANISATION_CLAIM', 'organisation'),
  };
}

/** TRUST_PROXY: unset or 'false' (the socket's address is the client), 'true', a hop count, or addresses / subnets / 'loopback'. */
function loadTrustProxy(raw: string | undefined): AppConfig['trustProxy'] {
  if (!raw || raw === 'false') return false;
  if (raw === 'true') return true;
  if (/^\d+$/.test(raw)) return Number(raw);
  if (!/^[\w.:/, -]+$/.test(raw)) throw new ConfigError(`TRUST_PROXY must be true, false, a hop count, or a list of addresses or subnets, got '${raw}'`);
  return raw;
}
