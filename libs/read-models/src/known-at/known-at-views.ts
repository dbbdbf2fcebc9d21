import { conventionIdOf, conventionStream, isConventionEventType } from '@cl/domain';
import type { EventStore, RecordedEvent } from '@cl/event-store';
import { readCheckpoint } from '../database/checkpoint';
import { createReadModelDb, type ReadModelDb } from '../database/create-read-model-db';
import { createReadModelSchema } from '../database/read-model-schema';
import { applyBatch } from '../projections/apply-batch';
import { ReadModelQueries } from '../queries/read-model-queries';
import { isKnownAt, type KnownAt } from './known-at';

/**
 * Every read answered as the system knew it at a knownAt, from ONE code path with the current
 * view (docs/read-models.md, "What was known when"): the same projection handlers fold the
 * events recorded up to knownAt (read from the event store, no further than the read models'
 * checkpoint, so that a past view never knows more than the current one) into a scratch
 * in-memory database with the same schema, and the same ReadModelQueries answer from it. The
 * current view is that fold with no cut, kept up to date by the projector: with no knownAt the
 * read models are read directly.
 */
export class KnownAtViews {
  private readonly current: ReadModelQueries;

  constructor(private readonly db: ReadModelDb, private readonly store: EventStore) {
    this.current = new ReadModelQueries(db, store);
  }

  /**
   * `read` over the read models as known at `knownAt` (the current ones when undefined), for the
   * conventions named: a query about another one finds nothing, as before its registration.
   */
  async read<T>(knownAt: KnownAt | undefined, conventionIds: readonly string[], read: (queries: ReadModelQueries) => Promise<T>): Promise<T> {
    if (knownAt === undefined) return read(this.current);
    const scratch = createReadModelDb({ kind: 'sqlite', file: ':memory:' });
    try {
      await createReadModelSchema(scratch);
      await this.foldInto(scratch, conventionIds, knownAt);
      return await read(new ReadModelQueries(scratch, this.store));
    } finally {
      await scratch.destroy();
    }
  }

  /**
   * The conventions' histories, cut at knownAt, through the projection handlers (applyBatch), a
   * page at a time in global order (applyBatch keeps positions increasing), so memory holds about
   * one page beside the scratch database. A few conventions are read stream by stream, many from
   * the global log.
   */
  private async foldInto(scratch: ReadModelDb, conventionIds: readonly string[], knownAt: KnownAt): Promise<void> {
    if (conventionIds.length === 0) return;
    const checkpoint = await readCheckpoint(this.db);
    const cut = 'position' in knownAt ? Math.min(knownAt.position, checkpoint) : checkpoint;
    const known = isKnownAt(knownAt);
    const wanted = new Set(conventionIds);
    const events = wanted.size <= FEW_CONVENTIONS
      ? mergedByPosition([...wanted].map((conventionId) => this.knownStream(conventionId, cut, known, Math.max(MIN_STREAM_PAGE, Math.floor(PAGE_SIZE / wanted.size)))))
      : this.knownLog(wanted, cut, known);
    let page: RecordedEvent[] = [];
    for await (const recorded of events) {
      page.push(recorded);
      if (page.length === PAGE_SIZE) {
        await applyBatch(scratch, page);
        page = [];
      }
    }
    await applyBatch(scratch, page);
  }

  /**
   * One convention's events known at the cut, in revision order: a prefix of its history, read
   * `pageSize` at a time (the pages of all the streams merged are held together).
   */
  private async *knownStream(conventionId: string, cut: number, known: (event: RecordedEvent) => boolean, pageSize: number): AsyncGenerator<RecordedEvent> {
    for (let from = 0; ;) {
      const read = await this.store.readStream(conventionStream(conventionId), { fromRevision: from, maxCount: pageSize });
      if (read.length === 0) return;
      for (const recorded of read) {
        if (!isConventionEventType(recorded.type)) continue;
        if (recorded.position > cut || !known(recorded)) return;
        yield recorded;
      }
      from = read[read.length - 1].revision + 1;
    }
  }

  /**
   * The wanted conventions' events known at the cut, from the global log in position order: per
   * convention a prefix, since after its first event recorded later than knownAt none counts.
   */
  private async *knownLog(wanted: ReadonlySet<string>, cut: number, known: (event: RecordedEvent) => boolean): AsyncGenerator<RecordedEvent> {
    const ended = new Set<string>();
    for (let after = 0; after < cut;) {
      const read = await this.store.readAll({ after, maxCount: PAGE_SIZE });
      if (read.length === 0) return;
      for (const recorded of read) {
        if (recorded.position > cut) return;
        const conventionId = conventionIdOf(recorded.streamId);
        if (conventionId === undefined || !wanted.has(conventionId) || ended.has(conventionId) || !isConventionEventType(recorded.type)) continue;
        if (known(recorded)) yield recorded;
        else ended.add(conventionId);
      }
      after = read[read.length - 1].position;
    }
  }
}

/** Events of several streams, each in position order, as one sequence in position order. */
async function* mergedByPosition(streams: AsyncGenerator<RecordedEvent>[]): AsyncGenerator<RecordedEvent> {
  const heads = await Promise.all(streams.map((stream) => stream.next()));
  for (;;) {
    let next = -1;
    heads.forEach((head, index) => {
      if (!head.done && (next === -1 || head.value.position < (heads[next].value as RecordedEvent).position)) next = index;
    });
    if (next === -1) return;
    yield heads[next].value as RecordedEvent;
    heads[next] = await streams[next].next();
  }
}

const PAGE_SIZE = 500;
const FEW_CONVENTIONS = 100;
const MIN_STREAM_PAGE = 50;
