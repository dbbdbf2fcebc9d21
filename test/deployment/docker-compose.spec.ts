import { ROLES } from '../../apps/api/src/auth/roles';
import { loadTokenEntries } from '../../apps/api/src/auth/auth-tokens';
import {
  checkApiPorts, checkAppEnvironmentKeys, checkAuthTokens, checkCluster, checkConnectionString, checkDependsOn,
  checkDockerignore, checkHealthchecks, checkImageAndCommands, checkLoadConfig, checkReadModelsUrl, checkServicesExist,
  checkSingleNode, checkVolumes, clone, clusterNodes, environmentOf, interpolate, loadCompose, parseEnvFile, readRepoFile,
  singleNodes, type Compose,
} from './compose-checks';

/**
 * docker-compose.yml cannot be run here (no Docker engine), so it is checked structurally.
 * Every check runs against the real file (no problems expected) and against broken copies
 * (problems expected), which shows that each assertion can fail.
 */

const cluster = loadCompose({});
const singleNodeEnv = parseEnvFile(readRepoFile('deploy/single-node.env'));
const singleNode = loadCompose(singleNodeEnv);
const dockerfile = readRepoFile('Dockerfile');
const dockerignore = readRepoFile('.dockerignore');
const nestCli = JSON.parse(readRepoFile('nest-cli.json'));

const mutate = (edit: (c: Compose) => void, from: Compose = cluster): Compose => {
  const copy = clone(from);
  edit(copy);
  return copy;
};

describe('compose interpolation used by these checks', () => {
  it('handles defaults, required values and $$ like Compose', () => {
    expect(interpolate('a${X:-d}b', {})).toBe('adb');
    expect(interpolate('a${X:-d}b', { X: '' })).toBe('adb');
    expect(interpolate('a${X-d}b', { X: '' })).toBe('ab');
    expect(interpolate('${X}|$X|$$X', { X: 'v' })).toBe('v|v|$X');
    expect(() => interpolate('${X:?set X}', {})).toThrow('set X');
  });
});

describe('docker-compose.yml (cluster profile, default variables)', () => {
  it('has the services: 3 cluster nodes, a single-node EventStoreDB, postgres 15, api, projector', () => {
    expect(checkServicesExist(cluster)).toEqual([]);
    expect(clusterNodes(cluster)).toEqual(['esdb-node1', 'esdb-node2', 'esdb-node3']);
    expect(singleNodes(cluster)).toEqual(['esdb']);
  });

  it('gossip-seeds each of the 3 nodes with the 2 others, cluster size 3', () => {
    expect(checkCluster(cluster)).toEqual([]);
  });

  it('has a single-node profile with one node of cluster size 1', () => {
    expect(checkSingleNode(cluster)).toEqual([]);
  });

  it('gives api and projector only variables the apps read, and the ones they need', () => {
    expect(checkAppEnvironmentKeys(cluster)).toEqual([]);
  });

  it('feeds loadConfig values it accepts: eventstoredb, postgres, production, and PROJECTOR_MODE off for the api', () => {
    expect(checkLoadConfig(cluster)).toEqual([]);
  });

  it('connects api and projector to exactly the cluster nodes on 2113, tls off like the nodes, leader preferred', () => {
    expect(checkConnectionString(cluster, clusterNodes(cluster), { leader: true })).toEqual([]);
  });

  it('points READ_MODELS_URL at the postgres service with its credentials and database', () => {
    expect(checkReadModelsUrl(cluster)).toEqual([]);
    // The password is one variable used twice: overriding it keeps both sides equal.
    expect(checkReadModelsUrl(loadCompose({ LEDGER_POSTGRES_PASSWORD: 's3cret-Value' }))).toEqual([]);
  });

  it('gives every service a health check, the apps through scripts shipped in the image', () => {
    expect(checkHealthchecks(cluster)).toEqual([]);
  });

  it('starts api and projector after healthy dependencies, optional exactly for profile-bound event stores', () => {
    expect(checkDependsOn(cluster)).toEqual([]);
    expect(cluster.services.projector.depends_on.api).toEqual({ condition: 'service_healthy' });
  });

  it('publishes the api container port the api listens on (PORT)', () => {
    expect(checkApiPorts(cluster)).toEqual([]);
    expect(checkApiPorts(loadCompose({ LEDGER_API_PORT: '8080' }))).toEqual([]);
  });

  it('mounts every top-level volume and declares every mounted one', () => {
    expect(checkVolumes(cluster)).toEqual([]);
  });

  it('hands the api its tokens through a mounted secret that is not the example file', () => {
    expect(checkAuthTokens(cluster)).toEqual([]);
    expect(readRepoFile('deploy/.gitignore').split('\n')).toContain('auth-tokens.json');
  });

  it('runs the built entry points of the same image as a non-root user', () => {
    expect(checkImageAndCommands(cluster, dockerfile, nestCli)).toEqual([]);
    expect(checkDockerignore(dockerignore)).toEqual([]);
  });
});

describe('docker-compose.yml with deploy/single-node.env', () => {
  it('activates the single-node profile and connects both apps to the single node only', () => {
    expect(singleNodeEnv.COMPOSE_PROFILES).toBe('single-node');
    expect(checkConnectionString(singleNode, singleNodes(singleNode), { leader: false })).toEqual([]);
    expect(checkLoadConfig(singleNode)).toEqual([]);
  });
});

describe('deploy/auth-tokens.example.json', () => {
  const example = readRepoFile('deploy/auth-tokens.example.json');
  const { entries } = loadTokenEntries({ authTokens: example, authMode: 'development' });

  it('is refused in production: its tokens are public', () => {
    expect(() => loadTokenEntries({ authTokens: example, authMode: 'production' })).toThrow(/example token/);
  });

  it('is a valid token table with one clearly fake token per role', () => {
    expect(entries.map((e) => e.roles).flat().sort()).toEqual([...ROLES].sort());
    for (const entry of entries) {
      expect(entry.token).toMatch(/^EXAMPLE-ONLY-/);
      expect(entry.subject).toMatch(/^example-/);
    }
    expect(new Set(entries.map((e) => e.token)).size).toBe(entries.length);
  });
});

describe('each check fails on a broken file', () => {
  const env = (c: Compose, service: string) => c.services[service].environment as Record<string, string>;

  it.each<[string, () => string[]]>([
    ['api missing', () => checkServicesExist(mutate((c) => delete c.services.api))],
    ['projector under a profile', () => checkServicesExist(mutate((c) => { c.services.projector.profiles = ['cluster']; }))],
    ['no single-node profile', () => checkServicesExist(mutate((c) => { c.services.esdb.profiles = ['laptop']; }))],
    ['postgres 16', () => checkServicesExist(mutate((c) => { c.services.postgres.image = 'postgres:16'; }))],
    ['a node missing', () => checkCluster(mutate((c) => delete c.services['esdb-node3']))],
    ['cluster size 1', () => checkCluster(mutate((c) => { env(c, 'esdb-node2').EVENTSTORE_CLUSTER_SIZE = '1'; }))],
    ['seed names itself', () => checkCluster(mutate((c) => { env(c, 'esdb-node1').EVENTSTORE_GOSSIP_SEED = 'esdb-node1:2113,esdb-node3:2113'; }))],
    ['seed misses a node', () => checkCluster(mutate((c) => { env(c, 'esdb-node3').EVENTSTORE_GOSSIP_SEED = 'esdb-node1:2113'; }))],
    ['seed on a wrong port', () => checkCluster(mutate((c) => { env(c, 'esdb-node2').EVENTSTORE_GOSSIP_SEED = 'esdb-node1:1112,esdb-node3:2113'; }))],
    ['advertises another node', () => checkCluster(mutate((c) => { env(c, 'esdb-node2').EVENTSTORE_NODE_HOST_ADVERTISE_AS = 'esdb-node1'; }))],
    ['DNS discovery left on', () => checkCluster(mutate((c) => { delete env(c, 'esdb-node1').EVENTSTORE_DISCOVER_VIA_DNS; }))],
    ['single node with size 3', () => checkSingleNode(mutate((c) => { env(c, 'esdb').EVENTSTORE_CLUSTER_SIZE = '3'; }))],
    ['single node also in cluster', () => checkSingleNode(mutate((c) => { c.services.esdb.profiles = ['single-node', 'cluster']; }))],
    ['unknown variable', () => checkAppEnvironmentKeys(mutate((c) => { env(c, 'projector').DATABASE_URL = 'x'; }))],
    ['missing AUTH_TOKENS_FILE', () => checkAppEnvironmentKeys(mutate((c) => { delete env(c, 'api').AUTH_TOKENS_FILE; }))],
    ['missing READ_MODELS_URL', () => checkAppEnvironmentKeys(mutate((c) => { delete env(c, 'projector').READ_MODELS_URL; }))],
    ['PROJECTOR_MODE inline', () => checkLoadConfig(mutate((c) => { env(c, 'api').PROJECTOR_MODE = 'inline'; }))],
    ['PROJECTOR_MODE invalid', () => checkLoadConfig(mutate((c) => { env(c, 'api').PROJECTOR_MODE = 'false'; }))],
    ['embedded store', () => checkLoadConfig(mutate((c) => { env(c, 'projector').EVENT_STORE = 'embedded'; }))],
    ['sqlite read models', () => checkLoadConfig(mutate((c) => { env(c, 'api').READ_MODELS_URL = 'sqlite:/tmp/rm.sqlite'; }))],
    ['not production', () => checkLoadConfig(mutate((c) => { delete env(c, 'api').NODE_ENV; }))],
    ['connection string misses a node', () => checkConnectionString(mutate((c) => { env(c, 'api').EVENTSTORE_CONNECTION_STRING = 'esdb://esdb-node1:2113,esdb-node2:2113?tls=false&nodePreference=leader'; }), clusterNodes(cluster), { leader: true })],
    ['connection string wrong port', () => checkConnectionString(mutate((c) => { env(c, 'projector').EVENTSTORE_CONNECTION_STRING = 'esdb://esdb-node1:1113,esdb-node2:2113,esdb-node3:2113?tls=false&nodePreference=leader'; }), clusterNodes(cluster), { leader: true })],
    ['connection string with tls', () => checkConnectionString(mutate((c) => { env(c, 'api').EVENTSTORE_CONNECTION_STRING = 'esdb://esdb-node1:2113,esdb-node2:2113,esdb-node3:2113?nodePreference=leader'; }), clusterNodes(cluster), { leader: true })],
    ['connection string without leader', () => checkConnectionString(mutate((c) => { env(c, 'api').EVENTSTORE_CONNECTION_STRING = 'esdb://esdb-node1:2113,esdb-node2:2113,esdb-node3:2113?tls=false'; }), clusterNodes(cluster), { leader: true })],
    ['single-node env not applied', () => checkConnectionString(cluster, singleNodes(cluster), { leader: false })],
    ['read models on another host', () => checkReadModelsUrl(mutate((c) => { env(c, 'api').READ_MODELS_URL = 'postgres://ledger:ledger-example-password@db:5432/ledger'; }))],
    ['read models wrong password', () => checkReadModelsUrl(mutate((c) => { env(c, 'postgres').POSTGRES_PASSWORD = 'other'; }))],
    ['read models wrong user', () => checkReadModelsUrl(mutate((c) => { env(c, 'postgres').POSTGRES_USER = 'admin'; }))],
    ['read models wrong database', () => checkReadModelsUrl(mutate((c) => { env(c, 'projector').READ_MODELS_URL = 'postgres://ledger:ledger-example-password@postgres:5432/postgres'; }))],
    ['a node without health check', () => checkHealthchecks(mutate((c) => { delete c.services['esdb-node2'].healthcheck; }))],
    ['projector health check disabled', () => checkHealthchecks(mutate((c) => { c.services.projector.healthcheck = { test: ['NONE'] }; }))],
    ['health check script not in the repo', () => checkHealthchecks(mutate((c) => { c.services.api.healthcheck.test = ['CMD', 'node', '/app/deploy/healthcheck/nope.js']; }))],
    ['depends_on without condition', () => checkDependsOn(mutate((c) => { c.services.api.depends_on.postgres = {}; }))],
    ['depends_on service_started', () => checkDependsOn(mutate((c) => { c.services.projector.depends_on['esdb-node1'].condition = 'service_started'; }))],
    ['no dependency on a node', () => checkDependsOn(mutate((c) => { delete c.services.api.depends_on['esdb-node3']; }))],
    ['required dependency on a profiled node', () => checkDependsOn(mutate((c) => { delete c.services.api.depends_on.esdb.required; }))],
    ['optional dependency on postgres', () => checkDependsOn(mutate((c) => { c.services.projector.depends_on.postgres.required = false; }))],
    ['healthy dependency on a service without health check', () => checkDependsOn(mutate((c) => { delete c.services.postgres.healthcheck; }))],
    ['api publishes another port', () => checkApiPorts(mutate((c) => { c.services.api.ports = ['3000:8080']; }))],
    ['PORT changed alone', () => checkApiPorts(mutate((c) => { env(c, 'api').PORT = '4000'; }))],
    ['api publishes nothing', () => checkApiPorts(mutate((c) => { delete c.services.api.ports; }))],
    ['unused volume', () => checkVolumes(mutate((c) => { c.volumes!['orphan-data'] = null; }))],
    ['undeclared volume', () => checkVolumes(mutate((c) => { delete c.volumes!['postgres-data']; }))],
    ['postgres without volume', () => checkVolumes(mutate((c) => { delete c.services.postgres.volumes; delete c.volumes!['postgres-data']; }))],
    ['tokens not a secret', () => checkAuthTokens(mutate((c) => { env(c, 'api').AUTH_TOKENS_FILE = '/app/tokens.json'; }))],
    ['secret not mounted', () => checkAuthTokens(mutate((c) => { c.services.api.secrets = []; }))],
    ['secret defaults to the examples', () => checkAuthTokens(mutate((c) => { c.secrets!.auth_tokens.file = './deploy/auth-tokens.example.json'; }))],
    ['projector runs the api', () => checkImageAndCommands(mutate((c) => { delete c.services.projector.command; }), dockerfile, nestCli)],
    ['projector runs the source', () => checkImageAndCommands(mutate((c) => { c.services.projector.command = ['node', 'apps/projector/src/main.ts']; }), dockerfile, nestCli)],
    ['different images', () => checkImageAndCommands(mutate((c) => { c.services.projector.image = 'other:1'; }), dockerfile, nestCli)],
    ['Dockerfile CMD wrong path', () => checkImageAndCommands(cluster, dockerfile.replace(/^CMD .*$/m, 'CMD ["node", "dist/apps/api/main.js"]'), nestCli)],
    ['Dockerfile runs as root', () => checkImageAndCommands(cluster, dockerfile.replace(/^USER node$/m, 'USER root'), nestCli)],
    ['Dockerfile without USER', () => checkImageAndCommands(cluster, dockerfile.replace(/^USER node$/m, ''), nestCli)],
    ['Dockerfile npm install', () => checkImageAndCommands(cluster, dockerfile.replace(/^RUN npm ci\b/m, 'RUN npm install'), nestCli)],
    ['Dockerfile forgets the health checks', () => checkImageAndCommands(cluster, dockerfile.replace(/^COPY deploy\/healthcheck.*$/m, ''), nestCli)],
    ['.dockerignore sends the tokens', () => checkDockerignore(dockerignore.replace(/^deploy\/\*$/m, ''))],
    ['.dockerignore drops the health checks', () => checkDockerignore(dockerignore.replace(/^!deploy\/healthcheck$/m, ''))],
    ['.dockerignore sends node_modules', () => checkDockerignore(dockerignore.replace(/^node_modules$/m, ''))],
  ])('%s', (_name, run) => {
    expect(run().length).toBeGreaterThan(0);
  });

  it('environmentOf reads the list form too', () => {
    expect(environmentOf({ environment: ['A=1', 'B=x=y'] })).toEqual({ A: '1', B: 'x=y' });
  });
});
