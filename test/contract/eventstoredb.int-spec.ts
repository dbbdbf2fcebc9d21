import { EventStoreDbEventStore } from '@cl/event-store/eventstoredb';
import { EsdbTestServer, type EsdbTestServerOptions } from '../support/esdb-server';
import { describeEventStoreContract } from './event-store.contract';

/**
 * The shared contract against the real EventStoreDB client over real gRPC, talking to the
 * in-memory protocol server: once per write path the client can choose.
 */
function describeAgainstServer(name: string, options: EsdbTestServerOptions): void {
  describe(name, () => {
    let server: EsdbTestServer;

    beforeAll(async () => {
      server = await EsdbTestServer.start(options);
    });

    afterAll(async () => {
      await server.close();
    });

    describeEventStoreContract(name, async () => {
      const store = new EventStoreDbEventStore(server.connectionString, {
        resumePolicy: { initialDelayMs: 10, maxDelayMs: 500 },
      });
      return {
        store,
        dispose: () => store.close(),
        dropSubscriptions: async () => {
          server.dropSubscriptions();
        },
      };
    });
  });
}

describeAgainstServer('EventStoreDB (BatchAppend advertised)', { supportsBatchAppend: true });
describeAgainstServer('EventStoreDB (ServerFeatures unimplemented: Append)', { supportsBatchAppend: false });
