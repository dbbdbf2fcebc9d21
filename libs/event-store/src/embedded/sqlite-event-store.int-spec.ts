import Database from 'better-sqlite3';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describeEventStoreContract } from '../../../../test/contract/event-store.contract';
import { SubscriptionRecorder, ids, newEvent, newEvents, waitUntil } from '../../../../test/contract/contract-helpers';
import { AppendChildProcess } from '../../../../test/support/append-child-process';
import { WrongExpectedRevisionError } from '../event-store.port';
import { EventIdConflictError } from './event-id-conflict.error';
import { SqliteEventStore } from './sqlite-event-store';
import { openEventDatabase } from './sqlite-schema';

const workDir = mkdtempSync(join(tmpdir(), 'cl-embedded-store-'));
const freshFile = (): string => join(workDir, `${randomUUID()}.sqlite`);

afterAll(() => rmSync(workDir, { recursive: true, force: true }));

describeEventStoreContract('embedded SQLite (file)', async () => {
  const store = new SqliteEventStore(freshFile());
  return {
    store,
    dispose: () => store.close(),
    dropSubscriptions: async () => store.simulateSubscriptionDrop(),
  };
});

describeEventStoreContract('embedded SQLite (:memory:)', async () => {
  const store = new SqliteEventStore(':memory:');
  return { store, dispose: () => store.close(), dropSubscriptions: async () => store.simulateSubscriptionDrop() };
});

describe('SqliteEventStore, embedded specifics', () => {
  const opened: SqliteEventStore[] = [];
  const open = (file: string, options?: ConstructorParameters<typeof SqliteEventStore>[1]): SqliteEventStore => {
    const store = new SqliteEventStore(file, options);
    opened.push(store);
    return store;
  };
  afterEach(async () => {
    await Promise.all(opened.splice(0).map((store) => store.close()));
  });

  describe('storage', () => {
    it('configures WAL with synchronous FULL and a busy timeout on every connection', () => {
      const file = freshFile();
      const db = openEventDatabase(file, 4321);
      try {
        expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
        expect(db.pragma('synchronous', { simple: true })).toBe(2); // 2 = FULL
        expect(db.pragma('busy_timeout', { simple: true })).toBe(4321);
      } finally {
        db.close();
      }
    });

    it('starts an empty log at head 0 and numbers positions from 1', async () => {
      const store = open(freshFile());
      expect(await store.headPosition()).toBe(0);

      const first = await store.appendToStream('s-1', newEvents(2), 'no_stream');
      const second = await store.appendToStream('s-2', newEvents(1), 'no_stream');

      expect(first.position).toBe(2);
      expect(second.position).toBe(3);
      expect(await store.headPosition()).toBe(3);
      expect((await store.readAll({ maxCount: 10 })).map((event) => event.position)).toEqual([1, 2, 3]);
    });

    it('keeps every event across close and reopen, and carries on numbering', async () => {
      const file = freshFile();
      const before = open(file);
      const events = newEvents(3);
      const written = await before.appendToStream('stream', events, 'no_stream');
      await before.close();

      const after = open(file);
      const read = await after.readStream('stream');
      expect(ids(read)).toEqual(ids(events));
      expect(read[2].position).toBe(written.position);
      expect(await after.headPosition()).toBe(written.position);
      const next = await after.appendToStream('stream', [newEvent()], 2);
      expect(next).toEqual({ nextExpectedRevision: 3, position: written.position + 1 });
    });

    it('refuses to update or delete a recorded event', async () => {
      const file = freshFile();
      await open(file).appendToStream('stream', [newEvent()], 'no_stream');
      const raw = new Database(file);
      try {
        expect(() => raw.prepare("UPDATE events SET type = 'Rewritten'").run()).toThrow(/append-only/);
        expect(() => raw.prepare('DELETE FROM events').run()).toThrow(/append-only/);
      } finally {
        raw.close();
      }
    });

    it('is no longer ready once closed', async () => {
      const store = open(':memory:');
      expect(await store.isReady()).toBe(true);
      await store.close();
      expect(await store.isReady()).toBe(false);
    });

    it('refuses an empty batch and a batch repeating an id', async () => {
      const store = open(':memory:');
      const event = newEvent();
      await expect(store.appendToStream('stream', [], 'any')).rejects.toThrow(/at least one event/);
      await expect(store.appendToStream('stream', [event, event], 'any')).rejects.toThrow(/repeats an event id/);
      expect(await store.headPosition()).toBe(0);
    });
  });

  describe('the metadata fields projections read, in their own columns', () => {
    /** The events table as schema version 1 created it, before the columns. */
    const VERSION_1_EVENTS = `CREATE TABLE events (
      position INTEGER PRIMARY KEY AUTOINCREMENT, event_id TEXT NOT NULL UNIQUE, stream_id TEXT NOT NULL,
      revision INTEGER NOT NULL CHECK (revision >= 0), type TEXT NOT NULL,
      data TEXT NOT NULL CHECK (json_valid(data)), metadata TEXT NOT NULL CHECK (json_valid(metadata)),
      UNIQUE (stream_id, revision))`;
    const columnsOf = (file: string) => {
      const raw = new Database(file, { readonly: true });
      try {
        return raw.prepare('SELECT event_id AS id, recorded_at AS recordedAt, schema_version AS schemaVersion FROM events ORDER BY position').all();
      } finally {
        raw.close();
      }
    };
    const view = (events: ReadonlyArray<{ id: string; metadata: { schemaVersion?: unknown }; recordedAt: string }>) =>
      events.map(({ id, metadata, recordedAt }) => ({ id, schemaVersion: metadata.schemaVersion, recordedAt }));
    const projectionView = async (store: SqliteEventStore) => view(await store.readAllForProjection({ maxCount: 100 }));
    const readAllView = async (store: SqliteEventStore) => view(await store.readAll({ maxCount: 100 }));

    it('copies recordedAt and a plain schema version on append, and leaves both NULL when the version is not an integer', async () => {
      const file = freshFile();
      const plain = newEvent();
      const unversioned = newEvent();
      delete (unversioned.metadata as { schemaVersion?: number }).schemaVersion;
      const textVersion = newEvent();
      (textVersion.metadata as { schemaVersion: unknown }).schemaVersion = '2';
      await open(file).appendToStream('stream', [plain, unversioned, textVersion], 'no_stream');

      expect(columnsOf(file)).toEqual([
        { id: plain.id, recordedAt: plain.metadata.recordedAt, schemaVersion: plain.metadata.schemaVersion },
        { id: unversioned.id, recordedAt: unversioned.metadata.recordedAt, schemaVersion: null },
        { id: textVersion.id, recordedAt: null, schemaVersion: null },
      ]);
    });

    it('refuses a row whose copy differs from its metadata', async () => {
      const file = freshFile();
      await open(file).appendToStream('stream', [newEvent()], 'no_stream');
      const raw = new Database(file);
      const insert = raw.prepare(`INSERT INTO events (event_id, stream_id, revision, type, data, metadata, recorded_at, schema_version)
        VALUES (?, 'forged', 0, 'Forged', '{}', '{"recordedAt":"2026-01-01T00:00:00.000Z","schemaVersion":1}', ?, ?)`);
      try {
        expect(() => insert.run('other-instant', '2025-01-01T00:00:00.000Z', 1)).toThrow(/CHECK constraint failed/);
        expect(() => insert.run('other-version', '2026-01-01T00:00:00.000Z', 2)).toThrow(/CHECK constraint failed/);
        expect(() => insert.run('no-version', '2026-01-01T00:00:00.000Z', null)).toThrow(/CHECK constraint failed/);
        expect(() => insert.run('same', '2026-01-01T00:00:00.000Z', 1)).not.toThrow();
      } finally {
        raw.close();
      }
    });

    it('adds the columns to a file of schema version 1, whose rows are then read by decoding their metadata', async () => {
      const file = freshFile();
      const old = [newEvent(), newEvent()];
      const raw = new Database(file);
      try {
        raw.exec(VERSION_1_EVENTS);
        const insert = raw.prepare('INSERT INTO events (event_id, stream_id, revision, type, data, metadata) VALUES (?, ?, ?, ?, ?, ?)');
        old.forEach((event, revision) => insert.run(event.id, 'stream', revision, event.type, JSON.stringify(event.data), JSON.stringify(event.metadata)));
        raw.pragma('user_version = 1');
      } finally {
        raw.close();
      }

      const store = open(file);
      const added = newEvent();
      await store.appendToStream('stream', [added], 1);

      expect(columnsOf(file)).toEqual([
        { id: old[0].id, recordedAt: null, schemaVersion: null },
        { id: old[1].id, recordedAt: null, schemaVersion: null },
        { id: added.id, recordedAt: added.metadata.recordedAt, schemaVersion: added.metadata.schemaVersion },
      ]);
      expect(await projectionView(store)).toEqual(await readAllView(store));
      expect((await projectionView(store)).map((event) => event.recordedAt)).toEqual([...old, added].map((event) => event.metadata.recordedAt));
      const reopened = new Database(file, { readonly: true });
      try {
        expect(reopened.pragma('user_version', { simple: true })).toBe(2);
      } finally {
        reopened.close();
      }
    });
  });

  describe('idempotency rules', () => {
    it('refuses ids already recorded in another stream with an EventIdConflictError', async () => {
      const store = open(':memory:');
      const event = newEvent();
      await store.appendToStream('first', [event], 'no_stream');

      const error = await store.appendToStream('second', [event], 'no_stream').catch((rejection: unknown) => rejection);

      expect(error).toBeInstanceOf(EventIdConflictError);
      expect(error).toBeInstanceOf(WrongExpectedRevisionError);
      expect(error).toMatchObject({ eventId: event.id, recordedInStream: 'first', streamId: 'second', actual: 'no_stream' });
      expect(await store.readStream('second')).toEqual([]);
    });

    it("refuses a partly recorded batch even with 'any'", async () => {
      const store = open(':memory:');
      const batch = newEvents(2);
      await store.appendToStream('stream', batch, 'no_stream');

      await expect(store.appendToStream('stream', [batch[0], newEvent()], 'any')).rejects.toBeInstanceOf(EventIdConflictError);
      await expect(store.appendToStream('stream', [batch[1], batch[0]], 'any')).rejects.toBeInstanceOf(EventIdConflictError);
      expect(await store.headPosition()).toBe(2);
    });

    it('answers a retry at another place than the original with a plain revision conflict', async () => {
      const store = open(':memory:');
      const batch = newEvents(2);
      await store.appendToStream('stream', batch, 'no_stream');

      const error = await store.appendToStream('stream', batch, 0).catch((rejection: unknown) => rejection);

      expect(error).toBeInstanceOf(WrongExpectedRevisionError);
      expect(error).not.toBeInstanceOf(EventIdConflictError);
      expect(error).toMatchObject({ expected: 0, actual: 1 });
    });
  });

  describe('subscriptions', () => {
    it('ends a pending for-await when the store closes', async () => {
      const store = open(freshFile());
      const recorder = new SubscriptionRecorder(store.subscribeToAll(), () => true);
      await store.appendToStream('stream', [newEvent()], 'no_stream');
      await recorder.waitForCount(1);

      await store.close();
      await waitUntil(() => recorder.hasEnded, 'the subscription to end with its store', 5_000);
      expect(recorder.received).toHaveLength(1);
    });

    it('closes when the consumer leaves the loop early, and can be iterated only once', async () => {
      const store = open(':memory:');
      await store.appendToStream('stream', newEvents(3), 'no_stream');
      const subscription = store.subscribeToAll();

      const seen: number[] = [];
      for await (const event of subscription) {
        seen.push(event.revision);
        if (event.revision === 1) break;
      }

      expect(seen).toEqual([0, 1]);
      expect(() => subscription[Symbol.asyncIterator]()).toThrow(/only once/);
    });

    it('catches up across several read batches without gaps or repeats', async () => {
      const store = open(freshFile(), { subscriptionBatchSize: 3 });
      const events = newEvents(10);
      await store.appendToStream('stream', events, 'no_stream');

      const recorder = new SubscriptionRecorder(store.subscribeToAll({ after: 1 }), () => true);
      await recorder.waitForCount(9);
      const sentinel = newEvent();
      await store.appendToStream('stream', [sentinel], 9);
      await recorder.waitForId(sentinel.id);
      await recorder.subscription.close();

      expect(recorder.receivedIds).toEqual([...ids(events.slice(1)), sentinel.id]);
    });

    it('is woken at once by an append through another store on the same file in this process', async () => {
      const file = freshFile();
      const neverPolls = { pollIntervalMs: 10 * 60_000 };
      const reader = open(file, neverPolls);
      const writer = open(file, neverPolls);
      const recorder = new SubscriptionRecorder(reader.subscribeToAll(), () => true);
      await new Promise((resolve) => setImmediate(resolve));

      const event = newEvent();
      await writer.appendToStream('stream', [event], 'no_stream');

      await recorder.waitForId(event.id, 5_000);
      await recorder.subscription.close();
    });

    it('resumes from the last delivered event when dropped in the middle of a read batch', async () => {
      const store = open(freshFile(), { subscriptionBatchSize: 4 });
      const events = newEvents(10);
      await store.appendToStream('stream', events, 'no_stream');
      let dropped = false;
      const recorder = new SubscriptionRecorder(store.subscribeToAll(), () => true, (event) => {
        if (event.revision === 5 && !dropped) {
          dropped = true;
          store.simulateSubscriptionDrop();
        }
      });

      await recorder.waitForCount(10);
      const sentinel = newEvent();
      await store.appendToStream('stream', [sentinel], 9);
      await recorder.waitForId(sentinel.id);
      await recorder.subscription.close();

      expect(dropped).toBe(true);
      expect(recorder.receivedIds).toEqual([...ids(events), sentinel.id]);
    });

    it('delivers live, by polling, the appends made by another process on the same file', async () => {
      const file = freshFile();
      const store = open(file);
      const ownEvent = newEvent();
      await store.appendToStream('parent', [ownEvent], 'no_stream');
      const recorder = new SubscriptionRecorder(store.subscribeToAll(), () => true);
      await recorder.waitForId(ownEvent.id);

      const childStream = `child-${randomUUID()}`;
      const child = new AppendChildProcess(file, childStream, 20);
      try {
        await waitUntil(() => recorder.received.length >= 21, 'the appends of the child process', 45_000);
        expect(await child.exited).toEqual({ code: 0, signal: null });
        expect(child.errorOutput).toBe('');
      } finally {
        child.kill('SIGKILL');
        await recorder.subscription.close();
      }

      const fromChild = recorder.received.slice(1).map(({ id, streamId, revision, position }) => ({ id, streamId, revision, position }));
      expect(fromChild).toEqual(child.acks.map((ack) => ({ ...ack, streamId: childStream })));
    });

    it('serialises appends from two processes: no lost write, contiguous positions', async () => {
      const file = freshFile();
      const store = open(file);
      const childStream = `child-${randomUUID()}`;
      const child = new AppendChildProcess(file, childStream, 30);
      try {
        await waitUntil(() => child.isReady, 'the child process to open the store', 45_000);
        for (let revision = 0; revision < 30; revision++) {
          await store.appendToStream('parent', [newEvent()], revision === 0 ? 'no_stream' : revision - 1);
        }
        expect(await child.exited).toEqual({ code: 0, signal: null });
      } finally {
        child.kill('SIGKILL');
      }

      const log = await store.readAll({ maxCount: 100 });
      expect(log.map((event) => event.position)).toEqual(Array.from({ length: 60 }, (_, index) => index + 1));
      for (const stream of ['parent', childStream]) {
        const revisions = log.filter((event) => event.streamId === stream).map((event) => event.revision);
        expect(revisions).toEqual(Array.from({ length: 30 }, (_, index) => index));
      }
    });
  });

  describe('durability', () => {
    it('keeps every acknowledged append when the writing process is killed with SIGKILL', async () => {
      const file = freshFile();
      const stream = `killed-${randomUUID()}`;
      const child = new AppendChildProcess(file, stream, 'forever');
      try {
        await waitUntil(() => child.acks.length >= 40, 'the child to acknowledge 40 appends', 45_000);
      } finally {
        child.kill('SIGKILL');
      }
      const { signal } = await child.exited;
      expect(signal).toBe('SIGKILL');
      const acknowledged = [...child.acks];

      const reopened = open(file);
      const recorded = await reopened.readStream(stream);
      expect(recorded.length).toBeGreaterThanOrEqual(acknowledged.length);
      for (const ack of acknowledged) {
        expect(recorded[ack.revision]).toMatchObject({ id: ack.id, revision: ack.revision, position: ack.position });
      }
      expect(recorded.map((event) => event.revision)).toEqual(recorded.map((_, index) => index));
      expect(recorded.map((event) => event.position)).toEqual(recorded.map((_, index) => index + 1));
      const next = await reopened.appendToStream(stream, [newEvent()], recorded.length - 1);
      expect(next.position).toBe(recorded.length + 1);
    });
  });
});
