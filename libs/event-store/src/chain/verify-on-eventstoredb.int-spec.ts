import { randomUUID } from 'node:crypto';
import { EventStoreDBClient, jsonEvent } from '@eventstore/db-client';
import { EsdbTestServer } from '../../../../test/support/esdb-server';
import { EventStoreDbEventStore } from '../eventstoredb';
import type { EventMetadata } from '../event-store.port';
import { digestLog, verifyLog } from './verify-log';

const metadata = (): EventMetadata => ({
  actor: { subject: 'funder-1', roles: ['funder'] }, recordedAt: '2026-03-01T10:00:00.000Z',
  requestId: randomUUID(), correlationId: randomUUID(), causationId: randomUUID(), schemaVersion: 1,
});

/**
 * audit:verify on EventStoreDB goes through the adapter: an event written before the chain
 * (straight through the client, no hash) is covered by the chained ones after it, and a record
 * changed on the server is found.
 */
describe('verifying a log kept in EventStoreDB', () => {
  let server: EsdbTestServer;
  let store: EventStoreDbEventStore;
  const stream = `convention-${randomUUID()}`;

  beforeEach(async () => {
    server = await EsdbTestServer.start();
    const client = EventStoreDBClient.connectionString(server.connectionString);
    await client.appendToStream(stream, [jsonEvent({ id: randomUUID(), type: 'TranchePaid', data: { tranche: 1, amount: '800000.00' }, metadata: { ...metadata() } })]);
    await client.dispose();
    store = new EventStoreDbEventStore(server.connectionString);
    await store.appendToStream(stream, [{ id: randomUUID(), type: 'TranchePaid', data: { tranche: 2, amount: '400000.00' }, metadata: metadata() }], 0);
    await store.appendToStream(stream, [{ id: randomUUID(), type: 'TranchePaid', data: { tranche: 3, amount: '1.00' }, metadata: metadata() }], 'any');
  });

  afterEach(async () => {
    await store.close();
    await server.close();
  });

  it('finds the chain valid, the event from before the chain counted, and its own digest matching', async () => {
    const digest = await digestLog(store);

    const report = await verifyLog(store, { digest });
    expect(report).toMatchObject({ events: 3, streams: 1, legacyEvents: 1, brokenStreams: 0, digest: { matches: true } });
  });

  it('names a record changed on the server', async () => {
    const digest = await digestLog(store);
    const record = server.log.all.find((r) => r.streamId === stream && r.revision === 1n)!;
    record.data = Buffer.from(JSON.stringify({ tranche: 2, amount: '4000000.00' }));

    const report = await verifyLog(store, { digest });
    expect(report.broken).toMatchObject({ kind: 'changed', streamId: stream, revision: 1, position: Number(record.position) });
    expect(report.digest).toMatchObject({ matches: false });
  });
});
