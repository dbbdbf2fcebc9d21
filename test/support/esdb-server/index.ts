export { EsdbTestServer, type EsdbTestServerOptions } from './esdb-test-server';
