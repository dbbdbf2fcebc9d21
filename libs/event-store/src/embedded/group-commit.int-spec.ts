import Database from 'better-sqlite3';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ids, newEvent, newEvents } from '../../../../test/contract/contract-helpers';
import { checkStreamChain } from '../chain';
import { WrongExpectedRevisionError, type AppendResult } from '../event-store.port';
import { StoreUnavailableError } from '../store-unavailable.error';
import { appendSignalKey, listenForAppends } from './append-signal';
import { EventIdConflictError } from './event-id-conflict.error';
import { SqliteEventStore } from './sqlite-event-store';

/**
 * Group commit (docs/event-store.md): appends made in the same turn of the event loop share one
 * transaction, each in its own savepoint. Calls made together in one synchronous run, as here,
 * always land in the same group.
 */
describe('SqliteEventStore group commit', () => {
  const workDir = mkdtempSync(join(tmpdir(), 'cl-group-commit-'));
  let file: string;
  let store: SqliteEventStore;

  beforeEach(() => {
    file = join(workDir, `${randomUUID()}.sqlite`);
    store = new SqliteEventStore(file);
  });
  afterEach(async () => store.close());
  afterAll(() => rmSync(workDir, { recursive: true, force: true }));

  /** What committed appends did since `before` (transactions, appends). */
  const commitsSince = (before: { transactions: number; appends: number }) => {
    const after = store.appendCommitStats();
    return { transactions: after.transactions - before.transactions, appends: after.appends - before.appends };
  };

  it('commits concurrent appends to different streams in one transaction, each durable before its promise resolves', async () => {
    await store.appendToStream('warm-up', [newEvent()], 'no_stream');
    const before = store.appendCommitStats();
    let signals = 0;
    const stopListening = listenForAppends(appendSignalKey(file), () => signals++);
    const reader = new Database(file, { readonly: true });
    try {
      const streams = Array.from({ length: 8 }, (_, index) => `group-${index}`);
      // A second connection sees each event as soon as its caller is answered: the group is committed.
      const visibleOnAnswer = streams.map((stream) => store.appendToStream(stream, [newEvent()], 'no_stream').then((result) => ({
        result,
        seenByAnotherConnection: reader.prepare('SELECT COUNT(*) AS n FROM events WHERE stream_id = ?').get(stream) as { n: number },
      })));
      const answers = await Promise.all(visibleOnAnswer);

      expect(commitsSince(before)).toEqual({ transactions: 1, appends: 8 });
      expect(signals).toBe(1);
      expect(answers.map(({ result }) => result)).toEqual(streams.map((_, index) => ({ nextExpectedRevision: 0, position: 2 + index })));
      expect(answers.every(({ seenByAnotherConnection }) => seenByAnotherConnection.n === 1)).toBe(true);
    } finally {
      stopListening();
      reader.close();
    }
  });

  it('rejects a refused member alone, with the error it would get alone, and commits the others', async () => {
    const taken = newEvent();
    await store.appendToStream('existing', [taken], 'no_stream');
    const before = store.appendCommitStats();
    const landing = [newEvent(), newEvent(), newEvent()];

    const outcomes = await Promise.allSettled([
      store.appendToStream('fresh-1', [landing[0]], 'no_stream'),
      store.appendToStream('existing', [newEvent()], 'no_stream'),
      store.appendToStream('fresh-2', [landing[1]], 'no_stream'),
      store.appendToStream('elsewhere', [newEvent(), taken], 'no_stream'),
      store.appendToStream('fresh-3', [landing[2]], 'no_stream'),
    ]);

    expect(outcomes.map((outcome) => outcome.status)).toEqual(['fulfilled', 'rejected', 'fulfilled', 'rejected', 'fulfilled']);
    const revisionConflict = (outcomes[1] as PromiseRejectedResult).reason;
    expect(revisionConflict).toBeInstanceOf(WrongExpectedRevisionError);
    expect(revisionConflict).toMatchObject({ streamId: 'existing', expected: 'no_stream', actual: 0 });
    expect((outcomes[3] as PromiseRejectedResult).reason).toBeInstanceOf(EventIdConflictError);
    expect((outcomes[3] as PromiseRejectedResult).reason).toMatchObject({ eventId: taken.id, recordedInStream: 'existing' });
    // Positions are handed out by what committed: the refused members took none.
    expect(outcomes.filter((outcome) => outcome.status === 'fulfilled').map((outcome) => (outcome as PromiseFulfilledResult<AppendResult>).value))
      .toEqual([{ nextExpectedRevision: 0, position: 2 }, { nextExpectedRevision: 0, position: 3 }, { nextExpectedRevision: 0, position: 4 }]);
    expect(ids(await store.readAll({ after: 1, maxCount: 10 }))).toEqual(ids(landing));
    expect(await store.readStream('elsewhere')).toEqual([]);
    expect(commitsSince(before)).toEqual({ transactions: 1, appends: 5 });
  });

  it('chains members on the same stream as if each had committed alone before the next', async () => {
    const first = newEvent();
    const second = newEvents(2);
    const before = store.appendCommitStats();

    const outcomes = await Promise.allSettled([
      store.appendToStream('shared', [first], 'no_stream'),
      store.appendToStream('shared', second, 0),
      store.appendToStream('shared', [newEvent()], 0), // stale: the member before moved the stream on
      store.appendToStream('shared', [first], 'no_stream'), // a retry of the first member: its original answer
    ]);

    expect(commitsSince(before)).toEqual({ transactions: 1, appends: 4 });
    expect(outcomes[0]).toEqual({ status: 'fulfilled', value: { nextExpectedRevision: 0, position: 1 } });
    expect(outcomes[1]).toEqual({ status: 'fulfilled', value: { nextExpectedRevision: 2, position: 3 } });
    expect(outcomes[2].status).toBe('rejected');
    expect((outcomes[2] as PromiseRejectedResult).reason).toMatchObject({ name: 'WrongExpectedRevisionError', expected: 0, actual: 2 });
    expect(outcomes[3]).toEqual({ status: 'fulfilled', value: { nextExpectedRevision: 0, position: 1 } });
    const stream = await store.readStream('shared');
    expect(ids(stream)).toEqual(ids([first, ...second]));
    expect(checkStreamChain(stream).broken).toBeUndefined();
    expect(stream[1].metadata.previousHash).toBe(stream[0].metadata.hash);
  });

  it('fails every member with StoreUnavailableError and writes nothing when the storage fails', async () => {
    await store.appendToStream('before', newEvents(3), 'no_stream');
    const head = await store.headPosition();
    const before = store.appendCommitStats();
    store.maxPageCount(1); // SQLite keeps the cap at the current size: the next page needed is SQLITE_FULL.

    // The small members come first and fit in the last page's free space; the last needs new pages.
    const outcomes = await Promise.allSettled([
      store.appendToStream('small-1', [newEvent()], 'no_stream'),
      store.appendToStream('small-2', [newEvent()], 'no_stream'),
      store.appendToStream('too-big', [newEvent('Big', { padding: 'x'.repeat(64 * 1024) })], 'no_stream'),
    ]);

    expect(outcomes.map((outcome) => outcome.status)).toEqual(['rejected', 'rejected', 'rejected']);
    for (const outcome of outcomes) expect((outcome as PromiseRejectedResult).reason).toBeInstanceOf(StoreUnavailableError);
    expect((outcomes[0] as PromiseRejectedResult).reason.reason).toMatch(/^SQLITE_FULL/);
    expect(await store.headPosition()).toBe(head);
    expect(await store.readStream('small-1')).toEqual([]);
    expect(commitsSince(before)).toEqual({ transactions: 0, appends: 0 });
    expect(store.lastWriteFault()).toMatch(/^SQLITE_FULL/);
  });
});
