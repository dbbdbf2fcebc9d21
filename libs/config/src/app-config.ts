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
  authTokens?: string;
  authTokensFile?: string;
  /** Max JSON body size accepted by the API. */
  bodyLimit: string;
  /** Events per read and per read-model transaction in the projector. */
  projectorBatchSize: number;
}

export const ENV_VARIABLES = [
  'NODE_ENV', 'PORT', 'DATA_DIR', 'EVENT_STORE', 'EVENTSTORE_CONNECTION_STRING', 'READ_MODELS_URL',
  'PROJECTOR_MODE', 'PROJECTOR_BATCH_SIZE', 'AUTH_TOKENS', 'AUTH_TOKENS_FILE', 'BODY_LIMIT',
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

  return {
    nodeEnv: env.NODE_ENV || 'development',
    port,
    dataDir,
    eventStore,
    readModels,
    projectorMode,
    authTokens: env.AUTH_TOKENS,
    authTokensFile: env.AUTH_TOKENS_FILE,
    bodyLimit: env.BODY_LIMIT || '100kb',
    projectorBatchSize,
  };
}
