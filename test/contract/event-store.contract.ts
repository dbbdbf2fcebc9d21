import { createHash } from 'node:crypto';
import {
  GENESIS_HASH,
  canonicalJson,
  checkStreamChain,
  eventHashOf,
  type AllSubscription,
  type EventMetadata,
  type EventStore,
  type ExpectedRevision,
  type ProjectableEvent,
  type RecordedEvent,
  WrongExpectedRevisionError,
} from '@cl/event-store';
import { SubscriptionRecorder, ids, newEvent, newEvents, nextCursor, uniqueStreamId, waitUntil } from './contract-helpers';

export interface StoreUnderTest {
  store: EventStore;
  dispose(): Promise<void>;
  /** Make the transport drop live subscriptions (or simulate it), to prove they resume. */
  dropSubscriptions(): Promise<void>;
}

/**
 * The behaviour every EventStore adapter must share. Each adapter's spec calls this with a
 * factory; the factory may hand out a fresh store per test (embedded) or a client of a shared
 * server (EventStoreDB), so tests never assume an empty log: they use their own streams and
 * filter the global log down to them.
 */
export function describeEventStoreContract(name: string, createStore: () => Promise<StoreUnderTest>): void {
  describe(`EventStore contract: ${name}`, () => {
    let sut: StoreUnderTest;
    let store: EventStore;
    let openSubscriptions: AllSubscription[];

    beforeEach(async () => {
      sut = await createStore();
      store = sut.store;
      openSubscriptions = [];
    });

    afterEach(async () => {
      await Promise.all(openSubscriptions.map((subscription) => subscription.close()));
      await sut.dispose();
    });

    function record(after: number, streams: string[]): SubscriptionRecorder {
      const subscription = store.subscribeToAll({ after });
      openSubscriptions.push(subscription);
      return new SubscriptionRecorder(subscription, (event) => streams.includes(event.streamId));
    }

    async function readAllOf(streams: string[], after: number): Promise<RecordedEvent[]> {
      const events: RecordedEvent[] = [];
      let cursor = after;
      for (;;) {
        const page = await store.readAll({ after: cursor, maxCount: 500 });
        if (page.length === 0) return events;
        events.push(...page.filter((event) => streams.includes(event.streamId)));
        cursor = nextCursor(cursor, page);
      }
    }

    async function expectConflict(
      append: Promise<unknown>,
      expected: ExpectedRevision,
      actual: number | 'no_stream',
    ): Promise<void> {
      const error = await append.then(
        () => undefined,
        (rejection: unknown) => rejection,
      );
      expect(error).toBeInstanceOf(WrongExpectedRevisionError);
      expect(error).toMatchObject({ expected, actual });
    }

    describe('appending and reading a stream', () => {
      it('numbers revisions from 0 and keeps type, data and metadata intact', async () => {
        const stream = uniqueStreamId('revisions');
        const first = newEvents(2);
        const second = [newEvent('OtherThing', { nested: { amount: '12.50', list: [1, 2] } })];

        const firstResult = await store.appendToStream(stream, first, 'no_stream');
        const secondResult = await store.appendToStream(stream, second, 1);

        expect(firstResult.nextExpectedRevision).toBe(1);
        expect(secondResult.nextExpectedRevision).toBe(2);
        expect(firstResult.position).toBeGreaterThan(0);
        expect(secondResult.position).toBeGreaterThan(firstResult.position);

        const read = await store.readStream(stream);
        expect(read.map((event) => event.revision)).toEqual([0, 1, 2]);
        expect(ids(read)).toEqual(ids([...first, ...second]));
        expect(read[1].position).toBe(firstResult.position);
        expect(read[2].position).toBe(secondResult.position);
        const written = second[0];
        expect(read[2]).toMatchObject({
          id: written.id,
          streamId: stream,
          type: 'OtherThing',
          data: written.data,
          metadata: written.metadata,
          recordedAt: written.metadata.recordedAt,
        });
      });

      it('reads an unknown stream as an empty list', async () => {
        await expect(store.readStream(uniqueStreamId('unknown'))).resolves.toEqual([]);
        await expect(store.readStream(uniqueStreamId('unknown'), { direction: 'backwards' })).resolves.toEqual([]);
      });

      it('reads forwards from a revision, with maxCount', async () => {
        const stream = uniqueStreamId('forwards');
        const events = newEvents(5);
        await store.appendToStream(stream, events, 'no_stream');

        const fromTwo = await store.readStream(stream, { fromRevision: 2 });
        expect(fromTwo.map((event) => event.revision)).toEqual([2, 3, 4]);
        expect(ids(fromTwo)).toEqual(ids(events.slice(2)));

        const twoFromOne = await store.readStream(stream, { fromRevision: 1, maxCount: 2 });
        expect(twoFromOne.map((event) => event.revision)).toEqual([1, 2]);

        await expect(store.readStream(stream, { fromRevision: 5 })).resolves.toEqual([]);
      });

      it('reads backwards from the end or from a revision, with maxCount', async () => {
        const stream = uniqueStreamId('backwards');
        const events = newEvents(5);
        await store.appendToStream(stream, events, 'no_stream');

        const all = await store.readStream(stream, { direction: 'backwards' });
        expect(all.map((event) => event.revision)).toEqual([4, 3, 2, 1, 0]);
        expect(ids(all)).toEqual(ids(events).reverse());

        const lastTwo = await store.readStream(stream, { direction: 'backwards', maxCount: 2 });
        expect(lastTwo.map((event) => event.revision)).toEqual([4, 3]);

        const fromTwo = await store.readStream(stream, { direction: 'backwards', fromRevision: 2 });
        expect(fromTwo.map((event) => event.revision)).toEqual([2, 1, 0]);

        const oneFromThree = await store.readStream(stream, { direction: 'backwards', fromRevision: 3, maxCount: 1 });
        expect(ids(oneFromThree)).toEqual([events[3].id]);
      });
    });

    describe('expected revision', () => {
      it("'no_stream' creates a stream and conflicts once it exists", async () => {
        const stream = uniqueStreamId('no-stream');
        await store.appendToStream(stream, newEvents(2), 'no_stream');

        await expectConflict(store.appendToStream(stream, [newEvent()], 'no_stream'), 'no_stream', 1);
        expect(await store.readStream(stream)).toHaveLength(2);
      });

      it("'stream_exists' conflicts on a missing stream and passes on an existing one", async () => {
        const stream = uniqueStreamId('stream-exists');

        await expectConflict(store.appendToStream(stream, [newEvent()], 'stream_exists'), 'stream_exists', 'no_stream');
        expect(await store.readStream(stream)).toEqual([]);

        await store.appendToStream(stream, [newEvent()], 'no_stream');
        const result = await store.appendToStream(stream, [newEvent()], 'stream_exists');
        expect(result.nextExpectedRevision).toBe(1);
      });

      it('an exact revision must match the last revision of the stream', async () => {
        const stream = uniqueStreamId('exact');

        await expectConflict(store.appendToStream(stream, [newEvent()], 0), 0, 'no_stream');
        await store.appendToStream(stream, newEvents(3), 'no_stream');

        await expectConflict(store.appendToStream(stream, [newEvent()], 1), 1, 2);
        await expectConflict(store.appendToStream(stream, [newEvent()], 3), 3, 2);
        expect(await store.readStream(stream)).toHaveLength(3);

        const result = await store.appendToStream(stream, [newEvent()], 2);
        expect(result.nextExpectedRevision).toBe(3);
      });

      it("'any' never conflicts", async () => {
        const stream = uniqueStreamId('any');
        const first = await store.appendToStream(stream, [newEvent()], 'any');
        const second = await store.appendToStream(stream, newEvents(2), 'any');

        expect(first.nextExpectedRevision).toBe(0);
        expect(second.nextExpectedRevision).toBe(2);
        expect(await store.readStream(stream)).toHaveLength(3);
      });

      it('a failed batch writes nothing: the whole batch is one transaction', async () => {
        const stream = uniqueStreamId('atomic');
        await store.appendToStream(stream, [newEvent()], 'no_stream');
        const headBefore = await store.headPosition();

        await expect(store.appendToStream(stream, newEvents(3), 5)).rejects.toBeInstanceOf(WrongExpectedRevisionError);

        expect(await store.readStream(stream)).toHaveLength(1);
        expect(await readAllOf([stream], headBefore)).toEqual([]);
      });

      it('of concurrent appends with the same expected revision, exactly one wins', async () => {
        const stream = uniqueStreamId('race');
        await store.appendToStream(stream, [newEvent()], 'no_stream');
        const contenders = Array.from({ length: 6 }, () => newEvents(2));

        const outcomes = await Promise.allSettled(contenders.map((batch) => store.appendToStream(stream, batch, 0)));

        const winners = outcomes.flatMap((outcome, index) => (outcome.status === 'fulfilled' ? [index] : []));
        expect(winners).toHaveLength(1);
        for (const outcome of outcomes) {
          if (outcome.status === 'rejected') expect(outcome.reason).toBeInstanceOf(WrongExpectedRevisionError);
        }
        const read = await store.readStream(stream);
        expect(ids(read.slice(1))).toEqual(ids(contenders[winners[0]]));
      });

      it("of concurrent appends creating a stream with 'no_stream', exactly one wins", async () => {
        const stream = uniqueStreamId('race-create');
        const contenders = Array.from({ length: 6 }, () => [newEvent()]);

        const outcomes = await Promise.allSettled(contenders.map((batch) => store.appendToStream(stream, batch, 'no_stream')));

        expect(outcomes.filter((outcome) => outcome.status === 'fulfilled')).toHaveLength(1);
        expect(await store.readStream(stream)).toHaveLength(1);
      });
    });

    describe('idempotency', () => {
      it('re-appending the same ids at the same place returns the original result and writes nothing', async () => {
        const stream = uniqueStreamId('idempotent');
        const batch = newEvents(3);
        const original = await store.appendToStream(stream, batch, 'no_stream');

        await expect(store.appendToStream(stream, batch, 'no_stream')).resolves.toEqual(original);
        await expect(store.appendToStream(stream, batch, 'any')).resolves.toEqual(original);

        expect(ids(await store.readStream(stream))).toEqual(ids(batch));
        expect(await readAllOf([stream], original.position)).toEqual([]);
      });

      it('a retried batch is recognised at its place after the stream moved on', async () => {
        const stream = uniqueStreamId('idempotent-later');
        await store.appendToStream(stream, newEvents(2), 'no_stream');
        const retried = newEvents(2);
        const original = await store.appendToStream(stream, retried, 1);
        await store.appendToStream(stream, newEvents(1), 3);

        await expect(store.appendToStream(stream, retried, 1)).resolves.toEqual(original);
        expect(await store.readStream(stream)).toHaveLength(5);
      });

      it('a batch whose ids are only partly already in the stream is refused and writes nothing', async () => {
        const stream = uniqueStreamId('partial');
        const batch = newEvents(2);
        await store.appendToStream(stream, batch, 'no_stream');

        await expect(store.appendToStream(stream, [batch[1], newEvent()], 0)).rejects.toBeInstanceOf(WrongExpectedRevisionError);
        expect(ids(await store.readStream(stream))).toEqual(ids(batch));
      });
    });

    describe('hash chain', () => {
      function expectOneLinearChain(stream: RecordedEvent[], length: number): void {
        expect(stream).toHaveLength(length);
        expect(checkStreamChain(stream)).toEqual({ legacyEvents: 0 });
        stream.forEach((event, index) => {
          expect(event.metadata.previousHash).toBe(index === 0 ? GENESIS_HASH : stream[index - 1].metadata.hash);
          expect(event.metadata.hash).toBe(eventHashOf(event));
        });
      }

      it('links every event to the one before it in its stream, whatever the expected revision', async () => {
        const stream = uniqueStreamId('chain');
        const other = uniqueStreamId('chain-other');
        await store.appendToStream(stream, newEvents(2), 'no_stream');
        await store.appendToStream(other, newEvents(1), 'no_stream');
        await store.appendToStream(stream, [newEvent('OtherThing', { nested: { amount: '12.50', list: [1, 2] } })], 1);
        await store.appendToStream(stream, newEvents(2), 'any');
        const retried = newEvents(1);
        const original = await store.appendToStream(stream, retried, 'stream_exists');

        await expect(store.appendToStream(stream, retried, 4)).resolves.toEqual(original);
        expectOneLinearChain(await store.readStream(stream), 6);
        expect((await store.readStream(other))[0].metadata.previousHash).toBe(GENESIS_HASH);
      });

      it("keeps one linear chain when 'any' appends race on one stream", async () => {
        const stream = uniqueStreamId('chain-race');
        await store.appendToStream(stream, newEvents(1), 'no_stream');

        await Promise.all(Array.from({ length: 6 }, () => store.appendToStream(stream, newEvents(2), 'any')));

        expectOneLinearChain(await store.readStream(stream), 13);
      });

      it('hashes what the caller gave, so that anyone can recompute it from the stored event', async () => {
        const stream = uniqueStreamId('chain-recompute');
        const written = newEvent('ThingHappened', { amount: '1500.00', when: '2026-01-31', optional: undefined });

        await store.appendToStream(stream, [written], 'no_stream');

        const [read] = await store.readStream(stream);
        const { hash, ...withoutHash } = read.metadata;
        const canonical = canonicalJson({ id: written.id, type: written.type, data: written.data, metadata: { ...written.metadata, previousHash: GENESIS_HASH } });
        expect(canonicalJson({ id: read.id, type: read.type, data: read.data, metadata: withoutHash })).toBe(canonical);
        expect(hash).toBe(createHash('sha256').update(canonical, 'utf8').digest('hex'));
      });
    });

    describe('the global log', () => {
      it('orders events across streams with strictly increasing positions', async () => {
        const headBefore = await store.headPosition();
        const left = uniqueStreamId('log-left');
        const right = uniqueStreamId('log-right');
        const appended = [
          { stream: left, events: newEvents(2) },
          { stream: right, events: newEvents(1) },
          { stream: left, events: newEvents(1) },
          { stream: right, events: newEvents(2) },
        ];
        for (const { stream, events } of appended) await store.appendToStream(stream, events, 'any');

        const log = await readAllOf([left, right], headBefore);

        expect(ids(log)).toEqual(appended.flatMap(({ events }) => ids(events)));
        expect(log.map((event) => `${event.streamId === left ? 'L' : 'R'}${event.revision}`)).toEqual([
          'L0', 'L1', 'R0', 'L2', 'R1', 'R2',
        ]);
        for (let index = 1; index < log.length; index++) {
          expect(log[index].position).toBeGreaterThan(log[index - 1].position);
        }
        expect(log[0].position).toBeGreaterThan(headBefore);
      });

      it('reads strictly after a position, page by page with maxCount', async () => {
        const stream = uniqueStreamId('paging');
        const events = newEvents(7);
        for (const event of events) await store.appendToStream(stream, [event], 'any');
        const recorded = await store.readStream(stream);

        const afterThird = await store.readAll({ after: recorded[2].position, maxCount: 1 });
        expect(afterThird).toHaveLength(1);
        expect(afterThird[0].position).toBeGreaterThan(recorded[2].position);
        expect(afterThird[0].position).toBeLessThanOrEqual(recorded[3].position);

        const pages: RecordedEvent[][] = [];
        let cursor = recorded[0].position;
        for (;;) {
          const page = await store.readAll({ after: cursor, maxCount: 2 });
          if (page.length === 0) break;
          expect(page.length).toBeLessThanOrEqual(2);
          pages.push(page);
          cursor = nextCursor(cursor, page);
        }
        const ours = pages.flat().filter((event) => event.streamId === stream);
        expect(ids(ours)).toEqual(ids(events.slice(1)));
        expect(pages.length).toBeGreaterThanOrEqual(3);
      });

      it('reads the same events for projections, with only the schema version and recordedAt of their metadata', async () => {
        const headBefore = await store.headPosition();
        const stream = uniqueStreamId('projection-read');
        const plain = newEvent();
        // Metadata a search of its text could misread: the keys inside a string value, the same
        // keys in a nested object, a value with an escape, no schema version (older events); and
        // schema versions a column of integers could not hold as they are.
        const keysInAValue = newEvent();
        keysInAValue.metadata.actor.subject = '"recordedAt":"1999-01-01T00:00:00.000Z","schemaVersion":9}';
        const keysNested = newEvent();
        Object.assign(keysNested.metadata.actor, { recordedAt: '1999-01-01T00:00:00.000Z', schemaVersion: 9 });
        const escapedValue = newEvent();
        escapedValue.metadata.recordedAt = 'recorded "late" \\ by hand';
        const unversioned = newEvent();
        delete (unversioned.metadata as Partial<EventMetadata>).schemaVersion;
        // Schema versions no integer column could give back as they were written.
        const textVersion = newEvent();
        (textVersion.metadata as { schemaVersion: unknown }).schemaVersion = '2';
        const fractionalVersion = newEvent();
        fractionalVersion.metadata.schemaVersion = 1.5;
        const appended = [plain, keysInAValue, keysNested, escapedValue, unversioned, textVersion, fractionalVersion];
        await store.appendToStream(stream, appended, 'no_stream');

        const projectable: ProjectableEvent[] = [];
        for (let cursor = headBefore; ;) {
          const page = await store.readAllForProjection({ after: cursor, maxCount: 2 });
          if (page.length === 0) break;
          projectable.push(...page.filter((event) => event.streamId === stream));
          cursor = nextCursor(cursor, page);
        }

        // A store may give the whole metadata (a RecordedEvent is a ProjectableEvent): what counts is these two fields.
        const compared = ({ metadata, ...event }: ProjectableEvent) => ({ ...event, schemaVersion: metadata.schemaVersion, metadataRecordedAt: metadata.recordedAt });
        expect(projectable.map(compared)).toEqual((await readAllOf([stream], headBefore)).map(compared));
        expect(projectable.map((event) => [event.metadata.recordedAt, event.metadata.schemaVersion])).toEqual(
          appended.map(({ metadata }) => [metadata.recordedAt, metadata.schemaVersion]),
        );
        expect(projectable.map((event) => event.recordedAt)).toEqual(appended.map(({ metadata }) => metadata.recordedAt));
      });

      it('reports the head position: the position of the last event appended', async () => {
        const headBefore = await store.headPosition();
        const stream = uniqueStreamId('head');
        const result = await store.appendToStream(stream, newEvents(2), 'no_stream');

        expect(result.position).toBeGreaterThan(headBefore);
        const headAfter = await store.headPosition();
        expect(headAfter).toBeGreaterThanOrEqual(result.position);
        const lastOfOurs = (await store.readStream(stream, { direction: 'backwards', maxCount: 1 }))[0];
        expect(lastOfOurs.position).toBe(result.position);
      });

      it('is ready once created', async () => {
        await expect(store.isReady()).resolves.toBe(true);
      });
    });

    describe('subscribeToAll', () => {
      it('catches up with existing events, then delivers live ones in order', async () => {
        const headBefore = await store.headPosition();
        const stream = uniqueStreamId('catch-up');
        const existing = newEvents(3);
        await store.appendToStream(stream, existing, 'no_stream');

        const recorder = record(headBefore, [stream]);
        await recorder.waitForCount(3);
        const live = [newEvent(), newEvent(), newEvent()];
        await store.appendToStream(stream, [live[0]], 2);
        await store.appendToStream(stream, live.slice(1), 3);
        await recorder.waitForCount(6);

        expect(recorder.receivedIds).toEqual(ids([...existing, ...live]));
        expect(recorder.received.map((event) => event.revision)).toEqual([0, 1, 2, 3, 4, 5]);
        expect(recorder.received[5]).toMatchObject({ streamId: stream, type: live[2].type, data: live[2].data });
      });

      it('started after a position, delivers only later events', async () => {
        const stream = uniqueStreamId('after');
        const events = newEvents(3);
        for (const event of events) await store.appendToStream(stream, [event], 'any');
        const recorded = await store.readStream(stream);

        const recorder = record(recorded[1].position, [stream]);
        const later = newEvent();
        await store.appendToStream(stream, [later], 2);
        await recorder.waitForId(later.id);

        expect(recorder.receivedIds).toEqual([events[2].id, later.id]);
        expect(recorder.received[0].position).toBe(recorded[2].position);
      });

      it('ends a pending iteration when closed', async () => {
        const recorder = record(await store.headPosition(), [uniqueStreamId('never-written')]);
        await new Promise((resolve) => setTimeout(resolve, 50));
        expect(recorder.hasEnded).toBe(false);

        await recorder.subscription.close();
        await waitUntil(() => recorder.hasEnded, 'the closed subscription to end its iteration', 5_000);
      });

      it('resumed after the last seen position, delivers the rest exactly once', async () => {
        const headBefore = await store.headPosition();
        const stream = uniqueStreamId('resume');
        const events = newEvents(6);
        await store.appendToStream(stream, events.slice(0, 4), 'no_stream');

        const firstRun = record(headBefore, [stream]);
        await firstRun.waitForCount(2);
        await firstRun.subscription.close();
        await firstRun.finished;
        const seenFirst = firstRun.received;
        const lastSeen = seenFirst[seenFirst.length - 1].position;

        await store.appendToStream(stream, events.slice(4), 3);
        const secondRun = record(lastSeen, [stream]);
        const sentinel = newEvent('Sentinel');
        await secondRun.waitForCount(6 - seenFirst.length);
        await store.appendToStream(stream, [sentinel], 5);
        await secondRun.waitForId(sentinel.id);

        expect([...ids(seenFirst), ...secondRun.receivedIds]).toEqual([...ids(events), sentinel.id]);
      });

      it('keeps delivering, exactly once, after the transport drops live subscriptions', async () => {
        const headBefore = await store.headPosition();
        const stream = uniqueStreamId('drop');
        const beforeDrop = newEvents(3);
        await store.appendToStream(stream, beforeDrop, 'no_stream');
        const recorder = record(headBefore, [stream]);
        await recorder.waitForCount(3);

        await sut.dropSubscriptions();
        const afterDrop = newEvents(3);
        await store.appendToStream(stream, afterDrop.slice(0, 1), 2);
        await store.appendToStream(stream, afterDrop.slice(1), 3);
        await recorder.waitForCount(6);
        const sentinel = newEvent('Sentinel');
        await store.appendToStream(stream, [sentinel], 5);
        await recorder.waitForId(sentinel.id);

        expect(recorder.receivedIds).toEqual([...ids(beforeDrop), ...ids(afterDrop), sentinel.id]);
        expect(recorder.hasEnded).toBe(false);
      });

      it('delivers events of every stream in global order, exactly once', async () => {
        const headBefore = await store.headPosition();
        const streams = [uniqueStreamId('multi-a'), uniqueStreamId('multi-b'), uniqueStreamId('multi-c')];
        const recorder = record(headBefore, streams);

        const appended: string[] = [];
        for (let round = 0; round < 4; round++) {
          await Promise.all(
            streams.map(async (stream) => {
              const event = newEvent();
              await store.appendToStream(stream, [event], 'any');
              appended.push(event.id);
            }),
          );
        }
        const sentinel = newEvent('Sentinel');
        await store.appendToStream(streams[0], [sentinel], 'any');
        await recorder.waitForId(sentinel.id);

        const positions = recorder.received.map((event) => event.position);
        expect([...positions].sort((a, b) => a - b)).toEqual(positions);
        expect(new Set(positions).size).toBe(positions.length);
        expect(new Set(recorder.receivedIds)).toEqual(new Set([...appended, sentinel.id]));
        expect(recorder.received).toHaveLength(appended.length + 1);
      });
    });
  });
}
