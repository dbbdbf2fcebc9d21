import { createReadModelDb, type ReadModelDb } from '../database/create-read-model-db';
import { createReadModelSchema } from '../database/read-model-schema';
import { applyBatch } from '../projections/apply-batch';
import { recordedEventOfHistory } from '../queries/event-history';
import { ReadModelQueries } from '../queries/read-model-queries';
import { isKnownAt, type KnownAt } from './known-at';

/**
 * Every read answered as the system knew it at a knownAt, from ONE code path with the current
 * view (docs/read-models.md, "What was known when"): the same projection handlers fold the
 * events recorded up to knownAt (from rm_event_history, which holds every event as recorded)
 * into a scratch in-memory database with the same schema, and the same ReadModelQueries answer
 * from it. The current view is that fold with no cut, kept up to date by the projector: with no
 * knownAt the read models are read directly.
 */
export class KnownAtViews {
  private readonly current: ReadModelQueries;

  constructor(private readonly db: ReadModelDb) {
    this.current = new ReadModelQueries(db);
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
      return await read(new ReadModelQueries(scratch));
    } finally {
      await scratch.destroy();
    }
  }

  /**
   * The conventions' histories, cut at knownAt, through the projection handlers (applyBatch), a
   * page at a time in global order (applyBatch keeps positions increasing), so memory holds one
   * page beside the scratch database. A few conventions are read through the history's index.
   */
  private async foldInto(scratch: ReadModelDb, conventionIds: readonly string[], knownAt: KnownAt): Promise<void> {
    if (conventionIds.length === 0) return;
    const wanted = new Set(conventionIds);
    const cut = new Set<string>();
    const known = isKnownAt(knownAt);
    for (let after = 0; ;) {
      let query = this.db.selectFrom('rm_event_history').selectAll().where('position', '>', after);
      if ('position' in knownAt) query = query.where('position', '<=', knownAt.position);
      if (wanted.size <= FEW_CONVENTIONS) query = query.where('convention_id', 'in', [...wanted]);
      const page = await query.orderBy('position').limit(PAGE_SIZE).execute();
      if (page.length === 0) return;
      after = Number(page[page.length - 1].position);
      // Per convention, a prefix: after its first event recorded later than knownAt, none of its events counts.
      const kept = page.map(recordedEventOfHistory).filter((event, index) => {
        const conventionId = page[index].convention_id;
        if (!wanted.has(conventionId) || cut.has(conventionId)) return false;
        if (known(event)) return true;
        cut.add(conventionId);
        return false;
      });
      await applyBatch(scratch, kept);
    }
  }
}

const PAGE_SIZE = 500;
const FEW_CONVENTIONS = 100;
