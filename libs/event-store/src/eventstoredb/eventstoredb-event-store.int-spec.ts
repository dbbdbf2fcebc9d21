import { randomUUID } from 'node:crypto';
import { EventStoreDBClient, StreamDeletedError } from '@eventstore/db-client';
import { EsdbTestServer } from '../../../../test/support/esdb-server';
import { WrongExpectedRevisionError, type NewEvent, type RecordedEvent } from '../event-store.port';
import { EventStoreDbEventStore } from './eventstoredb-event-store';

/**
 * What the shared contract cannot see: the parts of EventStoreDB the adapter must translate
 * (system events, position gaps, `created` ticks, the two write paths, conflicts, drops).
 */

function newEvent(type = 'Tested', data: Record<string, unknown> = {}): NewEvent {
  return {
    id: randomUUID(),
    type,
    data,
    metadata: {
      actor: { subject: 'adapter-spec', roles: [] },
      recordedAt: '2024-03-01T10:00:00.000Z',
      requestId: randomUUID(),
      correlationId: randomUUID(),
      causationId: randomUUID(),
      schemaVersion: 1,
    },
  };
}

const stream = (label: string): string => `adapter_${label}-${randomUUID()}`;

async function waitUntil(condition: () => boolean, what: string, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

function collect(iterable: AsyncIterable<RecordedEvent>, into: RecordedEvent[]): Promise<void> {
  return (async () => {
    for await (const event of iterable) into.push(event);
  })();
}

describe('EventStoreDbEventStore against the protocol test server', () => {
  let server: EsdbTestServer;
  let store: EventStoreDbEventStore;

  beforeAll(async () => {
    server = await EsdbTestServer.start({ supportsBatchAppend: true, systemEventEvery: 1 });
  });

  beforeEach(() => {
    store = new EventStoreDbEventStore(server.connectionString, { resumePolicy: { initialDelayMs: 10, maxDelayMs: 200 } });
  });

  afterEach(async () => {
    await store.close();
  });

  afterAll(async () => {
    await server.close();
  });

  it('never projects system events from $all, whatever their type or stream', async () => {
    const ours = stream('system');
    const head = await store.headPosition();
    await store.appendToStream(ours, [newEvent()], 'no_stream');
    // A $-stream with an ordinary type: the server-side type filter lets it through, the adapter must not.
    server.log.appendSystem('$projections-ledger', 'ProjectionCheckpoint', { at: 1 });
    server.writeSystemEvent();
    await store.appendToStream(ours, [newEvent()], 0);

    const read = await store.readAll({ after: head, maxCount: 100 });
    expect(read.map((event) => event.streamId)).toEqual([ours, ours]);
    const rawBetween = server.log.all.filter((r) => r.position > read[0].position && r.position < read[1].position);
    expect(rawBetween.some((r) => r.streamId.startsWith('$'))).toBe(true);

    const received: RecordedEvent[] = [];
    const subscription = store.subscribeToAll({ after: head });
    const done = collect(subscription, received);
    await waitUntil(() => received.length >= 2, 'our two events');
    server.log.appendSystem('$projections-ledger', 'ProjectionCheckpoint', { at: 2 });
    const sentinel = newEvent('Sentinel');
    await store.appendToStream(ours, [sentinel], 1);
    await waitUntil(() => received.some((event) => event.id === sentinel.id), 'the sentinel');
    await subscription.close();
    await done;

    expect(received.every((event) => !event.streamId.startsWith('$') && !event.type.startsWith('$'))).toBe(true);
    expect(received.map((event) => event.streamId)).toEqual([ours, ours, ours]);
  });

  it('fills a readAll page with application events even when system events interleave', async () => {
    const ours = stream('dense');
    const head = await store.headPosition();
    for (let i = 0; i < 5; i++) await store.appendToStream(ours, [newEvent()], 'any');

    const page = await store.readAll({ after: head, maxCount: 4 });
    expect(page).toHaveLength(4);
    expect(page.map((event) => event.revision)).toEqual([0, 1, 2, 3]);
  });

  it('keeps EventStoreDB positions as they are: log offsets, with gaps, never 0', async () => {
    const ours = stream('gaps');
    const result = await store.appendToStream(ours, [newEvent(), newEvent()], 'no_stream');
    const [first, second] = await store.readStream(ours);

    expect(first.position).toBeGreaterThan(0);
    expect(second.position - first.position).toBeGreaterThan(1);
    expect(result.position).toBe(second.position);
    const raw = server.log.all.find((r) => r.id === second.id)!;
    expect(second.position).toBe(Number(raw.position));
  });

  it('reports the last application event as head, ignoring system events written after it', async () => {
    const result = await store.appendToStream(stream('head'), [newEvent()], 'no_stream');
    server.writeSystemEvent();
    server.writeSystemEvent();

    expect(await store.headPosition()).toBe(result.position);
  });

  it('takes recordedAt from the metadata, and the server sends `created` as ticks the client decodes', async () => {
    const ours = stream('created');
    const before = Date.now();
    await store.appendToStream(ours, [newEvent()], 'no_stream');
    const after = Date.now();

    const [event] = await store.readStream(ours);
    expect(event.recordedAt).toBe('2024-03-01T10:00:00.000Z');
    const client = EventStoreDBClient.connectionString(server.connectionString);
    try {
      for await (const resolved of client.readStream(ours)) {
        const created = resolved.event!.created.getTime();
        expect(created).toBeGreaterThanOrEqual(before);
        expect(created).toBeLessThanOrEqual(after);
      }
    } finally {
      await client.dispose();
    }
  });

  it('maps a conflict to WrongExpectedRevisionError with the actual revision', async () => {
    const ours = stream('conflict');
    await store.appendToStream(ours, [newEvent(), newEvent()], 'no_stream');

    const error = await store.appendToStream(ours, [newEvent()], 0).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(WrongExpectedRevisionError);
    expect(error).toMatchObject({ streamId: ours, expected: 0, actual: 1 });
  });

  it('refuses an empty batch and a batch repeating an id, like the embedded store', async () => {
    const ours = stream('refused');
    const event = newEvent();
    await expect(store.appendToStream(ours, [], 'any')).rejects.toThrow('at least one event');
    await expect(store.appendToStream(ours, [event, event], 'any')).rejects.toThrow('repeats an event id');
    expect(server.log.streamRecords(ours)).toBeUndefined();
  });

  it('reads a soft-deleted stream as empty and lets a tombstone error through', async () => {
    const deleted = stream('deleted');
    const tombstoned = stream('tombstoned');
    await store.appendToStream(deleted, [newEvent()], 'no_stream');
    await store.appendToStream(tombstoned, [newEvent()], 'no_stream');
    const client = EventStoreDBClient.connectionString(server.connectionString);
    try {
      await client.deleteStream(deleted);
      await client.tombstoneStream(tombstoned);
    } finally {
      await client.dispose();
    }

    await expect(store.readStream(deleted)).resolves.toEqual([]);
    await expect(store.readStream(tombstoned)).rejects.toBeInstanceOf(StreamDeletedError);
    await expect(store.appendToStream(tombstoned, [newEvent()], 'any')).rejects.toBeInstanceOf(StreamDeletedError);
  });

  it('resubscribes after every drop and delivers each event once', async () => {
    const ours = stream('drops');
    const head = await store.headPosition();
    const received: RecordedEvent[] = [];
    const subscription = store.subscribeToAll({ after: head });
    const done = collect(subscription, received);
    const written: string[] = [];

    for (let round = 0; round < 3; round++) {
      const event = newEvent();
      written.push(event.id);
      await store.appendToStream(ours, [event], 'any');
      await waitUntil(() => received.length === written.length, `event ${written.length}`);
      await waitUntil(() => server.liveSubscriptionCount === 1, 'a live subscription');
      expect(server.dropSubscriptions()).toBe(1);
    }
    const sentinel = newEvent('Sentinel');
    written.push(sentinel.id);
    await store.appendToStream(ours, [sentinel], 'any');
    await waitUntil(() => received.some((event) => event.id === sentinel.id), 'the sentinel');
    await subscription.close();
    await done;

    expect(received.map((event) => event.id)).toEqual(written);
  });

  it('ends iteration promptly on close, even with the consumer waiting', async () => {
    const subscription = store.subscribeToAll({ after: await store.headPosition() });
    const iterator = subscription[Symbol.asyncIterator]();
    const pending = iterator.next();
    await waitUntil(() => server.liveSubscriptionCount >= 1, 'the subscription to be live');

    await subscription.close();
    await expect(pending).resolves.toEqual({ value: undefined, done: true });
    await waitUntil(() => server.liveSubscriptionCount === 0, 'the server to see the cancellation', 5_000);
  });

  it('is ready against a live server and not ready against a closed port', async () => {
    expect(await store.isReady()).toBe(true);

    const gone = await EsdbTestServer.start();
    const goneConnection = gone.connectionString;
    await gone.close();
    const orphan = new EventStoreDbEventStore(goneConnection, { readinessTimeoutMs: 1_000 });
    try {
      expect(await orphan.isReady()).toBe(false);
    } finally {
      await orphan.close();
    }
  });
});

describe.each([
  { path: 'BatchAppend', supportsBatchAppend: true },
  { path: 'Append', supportsBatchAppend: false },
])('writing through $path', ({ path, supportsBatchAppend }) => {
  let server: EsdbTestServer;
  let store: EventStoreDbEventStore;

  beforeAll(async () => {
    server = await EsdbTestServer.start({ supportsBatchAppend, sendCaughtUp: !supportsBatchAppend });
    store = new EventStoreDbEventStore(server.connectionString);
  });

  afterAll(async () => {
    await store.close();
    await server.close();
  });

  it('takes the path the server advertises, conflicts and idempotent retries included', async () => {
    const ours = stream(path);
    const before = { ...server.appendCounters }; // the server is shared with the other test of this block
    const batch = [newEvent(), newEvent()];
    const first = await store.appendToStream(ours, batch, 'no_stream');
    await expect(store.appendToStream(ours, batch, 'no_stream')).resolves.toEqual(first);
    await expect(store.appendToStream(ours, [newEvent()], 'no_stream')).rejects.toMatchObject({
      name: 'WrongExpectedRevisionError',
      expected: 'no_stream',
      actual: 1,
    });

    const counters = { append: server.appendCounters.append - before.append, batchAppend: server.appendCounters.batchAppend - before.batchAppend };
    expect(supportsBatchAppend ? counters.batchAppend : counters.append).toBe(3);
    expect(supportsBatchAppend ? counters.append : counters.batchAppend).toBe(0);
    expect(await store.readStream(ours)).toHaveLength(2);
  });

  it('subscribes the same whether or not the server sends caughtUp', async () => {
    const ours = stream(`${path}-sub`);
    await store.appendToStream(ours, [newEvent()], 'no_stream');
    const received: RecordedEvent[] = [];
    const subscription = store.subscribeToAll();
    const done = collect(subscription, received);
    const live = newEvent();
    await store.appendToStream(ours, [live], 0);
    await waitUntil(() => received.some((event) => event.id === live.id), 'the live event');
    await subscription.close();
    await done;

    expect(received.filter((event) => event.streamId === ours).map((event) => event.revision)).toEqual([0, 1]);
  });
});
