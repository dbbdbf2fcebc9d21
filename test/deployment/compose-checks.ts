import * as fs from 'node:fs';
import * as path from 'node:path';
import { parse } from 'yaml';
import { ENV_VARIABLES, loadConfig } from '@cl/config';

/**
 * Structural checks of docker-compose.yml (there is no Docker engine to run it). Each check
 * returns the problems it finds, so that the spec can assert "none" on the real file and
 * "some" on deliberately broken copies: every check is shown to be able to fail.
 */

export const ROOT = path.resolve(__dirname, '..', '..');

/* eslint-disable @typescript-eslint/no-explicit-any -- docker-compose.yml is free-form YAML, walked field by field */
export type Compose = { services: Record<string, any>; volumes?: Record<string, any>; secrets?: Record<string, any>; [key: string]: any };

export const APP_SERVICES = ['api', 'projector'] as const;
export const CLUSTER_PROFILE = 'cluster';
export const SINGLE_NODE_PROFILE = 'single-node';
const ESDB_IMAGE = /^eventstore\/eventstore:(23\.10|24\.\d+)/;
const ESDB_HTTP_PORT = 2113;

// ---- loading: YAML with merge keys, then Compose's ${VAR} interpolation -----------------------

/** Compose interpolation: $$, $VAR, ${VAR}, ${VAR:-default}, ${VAR-default}, ${VAR:?err}, ${VAR?err}. */
export function interpolate(value: string, vars: Record<string, string | undefined>): string {
  return value.replace(
    /\$(?:(\$)|\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-?])([^}]*))?\}|([A-Za-z_][A-Za-z0-9_]*))/g,
    (_match, dollar: string | undefined, braced: string | undefined, op: string | undefined, arg: string | undefined, bare: string | undefined) => {
      if (dollar) return '$';
      const name = (braced ?? bare)!;
      const current = vars[name];
      if (!op) return current ?? '';
      const missing = op.startsWith(':') ? !current : current === undefined;
      if (op.endsWith('-')) return missing ? (arg ?? '') : current!;
      if (missing) throw new Error(`${name} is required: ${arg}`);
      return current!;
    },
  );
}

function interpolateAll(node: unknown, vars: Record<string, string | undefined>): any {
  if (typeof node === 'string') return interpolate(node, vars);
  if (Array.isArray(node)) return node.map((item) => interpolateAll(item, vars));
  if (node && typeof node === 'object') {
    return Object.fromEntries(Object.entries(node).map(([key, value]) => [key, interpolateAll(value, vars)]));
  }
  return node;
}

export function parseEnvFile(text: string): Record<string, string> {
  const vars: Record<string, string> = {};
  for (const line of text.split(/\r?\n/)) {
    const trimmed = line.trim();
    if (!trimmed || trimmed.startsWith('#')) continue;
    const eq = trimmed.indexOf('=');
    if (eq <= 0) throw new Error(`not KEY=VALUE: ${line}`);
    vars[trimmed.slice(0, eq).trim()] = trimmed.slice(eq + 1).trim().replace(/^(['"])(.*)\1$/, '$2');
  }
  return vars;
}

export const readRepoFile = (relative: string) => fs.readFileSync(path.join(ROOT, relative), 'utf8');

/** The file as Compose sees it with `vars` as the interpolation environment. */
export function loadCompose(vars: Record<string, string | undefined> = {}, text = readRepoFile('docker-compose.yml')): Compose {
  // JSON round trip: aliases become independent copies, as Compose treats them.
  return JSON.parse(JSON.stringify(interpolateAll(parse(text, { merge: true }), vars)));
}

export const clone = (compose: Compose): Compose => JSON.parse(JSON.stringify(compose));

// ---- small readers ---------------------------------------------------------------------------

/** A service's environment as the container sees it (map or KEY=VALUE list; values as strings). */
export function environmentOf(service: any): Record<string, string> {
  const env = service?.environment ?? {};
  if (Array.isArray(env)) {
    return Object.fromEntries(env.map((entry: string) => {
      const eq = String(entry).indexOf('=');
      return eq < 0 ? [entry, ''] : [entry.slice(0, eq), entry.slice(eq + 1)];
    }));
  }
  return Object.fromEntries(Object.entries(env).map(([k, v]) => [k, v === null || v === undefined ? '' : String(v)]));
}

const profilesOf = (service: any): string[] => (Array.isArray(service?.profiles) ? service.profiles : []);
const isEventStore = (service: any) => ESDB_IMAGE.test(String(service?.image ?? ''));

export const clusterNodes = (c: Compose) =>
  Object.keys(c.services).filter((name) => isEventStore(c.services[name]) && profilesOf(c.services[name]).includes(CLUSTER_PROFILE)).sort();
export const singleNodes = (c: Compose) =>
  Object.keys(c.services).filter((name) => isEventStore(c.services[name]) && profilesOf(c.services[name]).includes(SINGLE_NODE_PROFILE)).sort();

/** depends_on as a map name → { condition, required } (the short list form has no condition). */
function dependsOnOf(service: any): Record<string, { condition?: string; required?: boolean }> {
  const deps = service?.depends_on ?? {};
  if (Array.isArray(deps)) return Object.fromEntries(deps.map((name: string) => [name, {}]));
  return deps;
}

/** Host:port endpoints of an esdb:// connection string, and its query. */
export function parseEsdbConnectionString(value: string): { hosts: string[]; query: URLSearchParams } {
  const match = /^esdb:\/\/(?:[^@/]*@)?([^/?]+)\/?(?:\?(.*))?$/.exec(value);
  if (!match) throw new Error(`not an esdb:// connection string: ${value}`);
  return { hosts: match[1].split(',').map((h) => h.trim()), query: new URLSearchParams(match[2] ?? '') };
}

/** Container ports of a ports: list (short "host:container[/proto]" or long { target }). */
function containerPorts(ports: unknown): number[] {
  if (!Array.isArray(ports)) return [];
  return ports.map((entry: any) => {
    if (entry && typeof entry === 'object') return Number(entry.target);
    const withoutProto = String(entry).split('/')[0];
    return Number(withoutProto.split(':').pop());
  });
}

// ---- the checks ------------------------------------------------------------------------------

export function checkServicesExist(c: Compose): string[] {
  const problems: string[] = [];
  for (const name of ['postgres', ...APP_SERVICES]) if (!c.services?.[name]) problems.push(`service ${name} is missing`);
  if (clusterNodes(c).length === 0) problems.push(`no EventStoreDB service under profile ${CLUSTER_PROFILE}`);
  if (singleNodes(c).length === 0) problems.push(`no EventStoreDB service under profile ${SINGLE_NODE_PROFILE}`);
  for (const name of APP_SERVICES) {
    if (profilesOf(c.services?.[name]).length) problems.push(`${name} must run in every profile (it has profiles)`);
  }
  if (!/^postgres:15(\b|[.-])/.test(String(c.services?.postgres?.image ?? ''))) problems.push('postgres must use a postgres:15 image');
  return problems;
}

export function checkCluster(c: Compose): string[] {
  const problems: string[] = [];
  const nodes = clusterNodes(c);
  if (nodes.length !== 3) problems.push(`the cluster has ${nodes.length} nodes, expected 3`);
  for (const name of nodes) {
    const service = c.services[name];
    const env = environmentOf(service);
    if (profilesOf(service).includes(SINGLE_NODE_PROFILE)) problems.push(`${name} is also in the ${SINGLE_NODE_PROFILE} profile`);
    if (env.EVENTSTORE_CLUSTER_SIZE !== String(nodes.length) || env.EVENTSTORE_CLUSTER_SIZE !== '3') {
      problems.push(`${name}: EVENTSTORE_CLUSTER_SIZE is ${env.EVENTSTORE_CLUSTER_SIZE}, expected 3`);
    }
    if (env.EVENTSTORE_DISCOVER_VIA_DNS !== 'false') problems.push(`${name}: gossip seeds need EVENTSTORE_DISCOVER_VIA_DNS=false`);
    if (env.EVENTSTORE_INSECURE !== 'true') problems.push(`${name}: the compose example runs insecure (EVENTSTORE_INSECURE=true)`);
    const seeds = (env.EVENTSTORE_GOSSIP_SEED ?? '').split(',').map((s) => s.trim()).filter(Boolean).sort();
    const expected = nodes.filter((other) => other !== name).map((other) => `${other}:${ESDB_HTTP_PORT}`).sort();
    if (JSON.stringify(seeds) !== JSON.stringify(expected)) {
      problems.push(`${name}: EVENTSTORE_GOSSIP_SEED is [${seeds}], expected the other nodes [${expected}]`);
    }
    for (const key of ['EVENTSTORE_REPLICATION_HOST_ADVERTISE_AS', 'EVENTSTORE_NODE_HOST_ADVERTISE_AS']) {
      if (env[key] !== name) problems.push(`${name}: ${key} is ${env[key]}, expected its own service name`);
    }
  }
  return problems;
}

export function checkSingleNode(c: Compose): string[] {
  const problems: string[] = [];
  const nodes = singleNodes(c);
  if (nodes.length !== 1) problems.push(`profile ${SINGLE_NODE_PROFILE} has ${nodes.length} EventStoreDB services, expected 1`);
  for (const name of nodes) {
    const service = c.services[name];
    const env = environmentOf(service);
    if (profilesOf(service).includes(CLUSTER_PROFILE)) problems.push(`${name} is also in the ${CLUSTER_PROFILE} profile`);
    if (env.EVENTSTORE_CLUSTER_SIZE !== '1') problems.push(`${name}: EVENTSTORE_CLUSTER_SIZE is ${env.EVENTSTORE_CLUSTER_SIZE}, expected 1`);
    if (env.EVENTSTORE_GOSSIP_SEED) problems.push(`${name}: a single node has no gossip seed`);
    if (env.EVENTSTORE_INSECURE !== 'true') problems.push(`${name}: expected EVENTSTORE_INSECURE=true`);
  }
  return problems;
}

export const REQUIRED_ENV: Record<(typeof APP_SERVICES)[number], string[]> = {
  api: ['NODE_ENV', 'PORT', 'EVENT_STORE', 'EVENTSTORE_CONNECTION_STRING', 'READ_MODELS_URL', 'PROJECTOR_MODE', 'AUTH_TOKENS_FILE'],
  projector: ['NODE_ENV', 'EVENT_STORE', 'EVENTSTORE_CONNECTION_STRING', 'READ_MODELS_URL'],
};

export function checkAppEnvironmentKeys(c: Compose): string[] {
  const problems: string[] = [];
  const known = new Set<string>(ENV_VARIABLES);
  for (const name of APP_SERVICES) {
    const env = environmentOf(c.services[name]);
    for (const key of Object.keys(env)) if (!known.has(key)) problems.push(`${name}: ${key} is not read by the apps (not in ENV_VARIABLES)`);
    for (const key of REQUIRED_ENV[name]) if (!env[key]) problems.push(`${name}: ${key} is missing or empty`);
  }
  return problems;
}

export function checkLoadConfig(c: Compose): string[] {
  const problems: string[] = [];
  for (const name of APP_SERVICES) {
    let config: ReturnType<typeof loadConfig>;
    try {
      config = loadConfig(environmentOf(c.services[name]));
    } catch (error) {
      problems.push(`${name}: loadConfig rejects the environment: ${(error as Error).message}`);
      continue;
    }
    if (config.nodeEnv !== 'production') problems.push(`${name}: NODE_ENV is ${config.nodeEnv}, expected production`);
    if (config.eventStore.kind !== 'eventstoredb') problems.push(`${name}: event store is ${config.eventStore.kind}, expected eventstoredb`);
    if (config.readModels.kind !== 'postgres') problems.push(`${name}: read models are ${config.readModels.kind}, expected postgres`);
    if (name === 'api') {
      if (config.projectorMode !== 'off') problems.push(`api: PROJECTOR_MODE is ${config.projectorMode}, expected off (the projector service projects)`);
      if (!config.authTokens && !config.authTokensFile) problems.push('api: production needs AUTH_TOKENS or AUTH_TOKENS_FILE');
    }
  }
  return problems;
}

/** EVENTSTORE_CONNECTION_STRING of both apps names exactly `expectedNodes`, on their HTTP port. */
export function checkConnectionString(c: Compose, expectedNodes: string[], options: { leader: boolean }): string[] {
  const problems: string[] = [];
  const expected = expectedNodes.map((n) => `${n}:${ESDB_HTTP_PORT}`).sort();
  for (const name of APP_SERVICES) {
    const value = environmentOf(c.services[name]).EVENTSTORE_CONNECTION_STRING ?? '';
    let parsed: ReturnType<typeof parseEsdbConnectionString>;
    try {
      parsed = parseEsdbConnectionString(value);
    } catch (error) {
      problems.push(`${name}: ${(error as Error).message}`);
      continue;
    }
    if (JSON.stringify([...parsed.hosts].sort()) !== JSON.stringify(expected)) {
      problems.push(`${name}: connection string names [${parsed.hosts}], expected [${expected}]`);
    }
    for (const node of expectedNodes) {
      const insecure = environmentOf(c.services[node]).EVENTSTORE_INSECURE === 'true';
      if (parsed.query.get('tls') !== String(!insecure)) problems.push(`${name}: tls=${parsed.query.get('tls')} but ${node} has EVENTSTORE_INSECURE=${insecure}`);
      const nodePort = environmentOf(c.services[node]).EVENTSTORE_NODE_PORT;
      if (nodePort && Number(nodePort) !== ESDB_HTTP_PORT) problems.push(`${node} listens on ${nodePort}, the connection string says ${ESDB_HTTP_PORT}`);
    }
    if (options.leader && parsed.query.get('nodePreference') !== 'leader') problems.push(`${name}: a cluster connection string needs nodePreference=leader`);
  }
  return problems;
}

export function checkReadModelsUrl(c: Compose): string[] {
  const problems: string[] = [];
  const postgres = c.services.postgres;
  const pgEnv = environmentOf(postgres);
  for (const name of APP_SERVICES) {
    const value = environmentOf(c.services[name]).READ_MODELS_URL ?? '';
    let url: URL;
    try {
      url = new URL(value);
    } catch {
      problems.push(`${name}: READ_MODELS_URL is not a URL: ${value}`);
      continue;
    }
    if (!/^postgres(ql)?:$/.test(url.protocol)) problems.push(`${name}: READ_MODELS_URL is not postgres://`);
    if (url.hostname !== 'postgres' || !postgres) problems.push(`${name}: READ_MODELS_URL host is ${url.hostname}, expected the postgres service`);
    if ((url.port || '5432') !== '5432') problems.push(`${name}: READ_MODELS_URL port ${url.port}, postgres listens on 5432`);
    if (decodeURIComponent(url.username) !== (pgEnv.POSTGRES_USER || 'postgres')) problems.push(`${name}: READ_MODELS_URL user does not match POSTGRES_USER`);
    if (!pgEnv.POSTGRES_PASSWORD || decodeURIComponent(url.password) !== pgEnv.POSTGRES_PASSWORD) problems.push(`${name}: READ_MODELS_URL password does not match POSTGRES_PASSWORD`);
    const database = pgEnv.POSTGRES_DB || pgEnv.POSTGRES_USER || 'postgres';
    if (decodeURIComponent(url.pathname.replace(/^\//, '')) !== database) problems.push(`${name}: READ_MODELS_URL database is ${url.pathname}, expected ${database}`);
  }
  return problems;
}

export function checkHealthchecks(c: Compose): string[] {
  const problems: string[] = [];
  for (const [name, service] of Object.entries(c.services)) {
    const hc = service?.healthcheck;
    const test = hc?.test;
    const empty = !test || (Array.isArray(test) && (test.length === 0 || test[0] === 'NONE' || test.length === 1)) || (typeof test === 'string' && !test.trim());
    if (!hc || hc.disable === true || empty) problems.push(`${name} has no health check`);
  }
  // The app checks run scripts shipped in the image: /app/deploy/healthcheck/<file> ← deploy/healthcheck/<file>.
  for (const name of APP_SERVICES) {
    const test: unknown[] = c.services[name]?.healthcheck?.test ?? [];
    const script = test.map(String).find((arg) => arg.startsWith('/app/'));
    if (!script) {
      problems.push(`${name}: health check does not run a script from the image`);
      continue;
    }
    const relative = script.slice('/app/'.length);
    if (!relative.startsWith('deploy/healthcheck/') || !fs.existsSync(path.join(ROOT, relative))) {
      problems.push(`${name}: health check script ${script} does not come from deploy/healthcheck/ in the repository`);
    }
  }
  const apiTest = (c.services.api?.healthcheck?.test ?? []).map(String);
  if (!apiTest.some((arg: string) => arg.endsWith('api-healthcheck.js'))) problems.push('api: health check must be the /health probe');
  return problems;
}

export function checkDependsOn(c: Compose): string[] {
  const problems: string[] = [];
  const eventStores = [...clusterNodes(c), ...singleNodes(c)];
  for (const name of APP_SERVICES) {
    const deps = dependsOnOf(c.services[name]);
    for (const needed of ['postgres', ...eventStores]) if (!deps[needed]) problems.push(`${name} does not depend on ${needed}`);
    for (const [target, dep] of Object.entries(deps)) {
      const targetService = c.services[target];
      if (!targetService) {
        problems.push(`${name} depends on unknown service ${target}`);
        continue;
      }
      if (dep.condition !== 'service_healthy') problems.push(`${name} → ${target}: condition ${dep.condition}, expected service_healthy`);
      if (!targetService.healthcheck) problems.push(`${name} → ${target}: service_healthy on a service without health check`);
      // A dependency that a profile can switch off must be optional, or that profile cannot start;
      // one that always runs must stay required.
      const optional = dep.required === false;
      const profiled = profilesOf(targetService).length > 0;
      if (profiled && !optional) problems.push(`${name} → ${target}: ${target} only runs in profile(s) ${profilesOf(targetService)}, so the dependency must be required: false`);
      if (!profiled && optional) problems.push(`${name} → ${target}: ${target} always runs, the dependency must be required`);
    }
  }
  return problems;
}

export function checkApiPorts(c: Compose): string[] {
  const api = c.services.api;
  let port: number;
  try {
    port = loadConfig(environmentOf(api)).port;
  } catch (error) {
    return [`api: ${(error as Error).message}`];
  }
  const published = containerPorts(api?.ports);
  if (published.length === 0) return ['api publishes no port'];
  return published.filter((p) => p !== port).map((p) => `api publishes container port ${p}, but listens on PORT=${port}`);
}

function namedVolumesOf(service: any, declared: Set<string>): string[] {
  const names: string[] = [];
  for (const entry of service?.volumes ?? []) {
    if (typeof entry === 'string') {
      const source = entry.split(':')[0];
      // A bind mount starts with . / ~ or a variable; anything else with a ':' names a volume.
      if (entry.includes(':') && !/^[./~$]/.test(source)) names.push(source);
      else if (!entry.includes(':') && declared.has(entry)) names.push(entry);
    } else if (entry && (entry.type ?? 'volume') === 'volume' && entry.source) {
      names.push(entry.source);
    }
  }
  return names;
}

export function checkVolumes(c: Compose): string[] {
  const problems: string[] = [];
  const declared = new Set(Object.keys(c.volumes ?? {}));
  const used = new Set(Object.values(c.services).flatMap((service) => namedVolumesOf(service, declared)));
  for (const name of declared) if (!used.has(name)) problems.push(`volume ${name} is declared but no service mounts it`);
  for (const name of used) if (!declared.has(name)) problems.push(`volume ${name} is mounted but not declared at top level`);
  const mounts = (service: string, target: string) => (c.services[service]?.volumes ?? []).some((v: any) => (typeof v === 'string' ? v.split(':')[1] === target : v?.target === target));
  for (const node of [...clusterNodes(c), ...singleNodes(c)]) if (!mounts(node, '/var/lib/eventstore')) problems.push(`${node} keeps no data volume`);
  if (!mounts('postgres', '/var/lib/postgresql/data')) problems.push('postgres keeps no data volume');
  return problems;
}

export function checkAuthTokens(c: Compose): string[] {
  const problems: string[] = [];
  const file = environmentOf(c.services.api).AUTH_TOKENS_FILE ?? '';
  const match = /^\/run\/secrets\/([A-Za-z0-9_.-]+)$/.exec(file);
  if (!match) return [`api: AUTH_TOKENS_FILE ${file} is not a mounted secret (/run/secrets/<name>)`];
  const secret = match[1];
  const listed = (c.services.api.secrets ?? []).map((s: any) => (typeof s === 'string' ? s : s?.target ?? s?.source));
  if (!listed.includes(secret)) problems.push(`api: AUTH_TOKENS_FILE names secret ${secret}, which api does not mount`);
  const declared = c.secrets?.[secret];
  if (!declared?.file) problems.push(`secret ${secret} is not declared with a file at top level`);
  if (declared?.file && path.normalize(declared.file) === path.normalize('./deploy/auth-tokens.example.json')) {
    problems.push('the production secret must not default to the example tokens');
  }
  return problems;
}

/** What `node <file>` each app runs: the compose command, else the Dockerfile's CMD. */
export function commandOf(c: Compose, service: string, dockerfile: string): string[] {
  const command = c.services[service]?.command;
  if (Array.isArray(command)) return command.map(String);
  if (typeof command === 'string') return command.split(/\s+/);
  const cmd = [...dockerfile.matchAll(/^CMD\s+(\[.*\])\s*$/gm)].pop();
  return cmd ? JSON.parse(cmd[1]) : [];
}

/** nest build (tsc builder, outDir dist, rootDir .) puts <sourceRoot>/<entryFile>.ts at dist/<sourceRoot>/<entryFile>.js. */
export function builtEntryOf(nestCli: any, project: string): string {
  const p = nestCli.projects[project];
  return `dist/${p.sourceRoot}/${p.entryFile}.js`;
}

export function checkImageAndCommands(c: Compose, dockerfile: string, nestCli: any): string[] {
  const problems: string[] = [];
  for (const name of APP_SERVICES) {
    const expected = ['node', builtEntryOf(nestCli, name)];
    const actual = commandOf(c, name, dockerfile);
    if (JSON.stringify(actual) !== JSON.stringify(expected)) problems.push(`${name} runs [${actual.join(' ')}], expected [${expected.join(' ')}]`);
    const build = c.services[name]?.build;
    const context = typeof build === 'string' ? build : build?.context;
    if (context !== '.') problems.push(`${name} is not built from the repository root`);
    if (typeof build === 'object' && build.dockerfile && build.dockerfile !== 'Dockerfile') problems.push(`${name} builds ${build.dockerfile}, not Dockerfile`);
  }
  if (c.services.api?.image !== c.services.projector?.image) problems.push('api and projector must run the same image');
  const stages = dockerfile.split(/^FROM\s/m);
  const runtime = stages[stages.length - 1];
  const users = [...runtime.matchAll(/^USER\s+(\S+)/gm)].map((m) => m[1]);
  const user = users.pop();
  if (!user || /^(root|0)(:|$)/.test(user)) problems.push(`the runtime stage runs as ${user ?? 'root (no USER)'}`);
  if (!/^WORKDIR\s+\/app\s*$/m.test(runtime)) problems.push('the runtime stage must work in /app (health check paths)');
  if (!/^COPY\s+deploy\/healthcheck\s+\.\/deploy\/healthcheck\s*$/m.test(runtime)) problems.push('the runtime stage does not ship deploy/healthcheck');
  if (!/^RUN\s+npm ci\b/m.test(dockerfile)) problems.push('dependencies are not installed with npm ci (lock file)');
  if (/--ignore-scripts/.test(dockerfile)) problems.push('npm must run the allowed install scripts (better-sqlite3 is native)');
  return problems;
}

export function checkDockerignore(dockerignore: string): string[] {
  const lines = dockerignore.split(/\r?\n/).map((l) => l.trim()).filter((l) => l && !l.startsWith('#'));
  const problems: string[] = [];
  for (const needed of ['node_modules', 'dist', '.git']) if (!lines.includes(needed)) problems.push(`.dockerignore does not exclude ${needed}`);
  // The token table must never reach the build context; the health check scripts must.
  const excludesTokens = lines.includes('deploy/*') || lines.includes('deploy') || lines.includes('deploy/auth-tokens.json');
  if (!excludesTokens) problems.push('.dockerignore lets deploy/auth-tokens.json into the build context');
  if ((lines.includes('deploy/*') || lines.includes('deploy')) && !lines.includes('!deploy/healthcheck')) problems.push('.dockerignore excludes deploy/healthcheck');
  for (const kept of ['apps', 'libs', 'package.json', 'package-lock.json', 'nest-cli.json', 'tsconfig.json', 'tsconfig.build.json']) {
    if (lines.includes(kept)) problems.push(`.dockerignore excludes ${kept}, which the build needs`);
  }
  return problems;
}
