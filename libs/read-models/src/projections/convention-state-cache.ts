import { inList } from './in-list';
import { emptyConventionState, loadConventionStates, type ConventionState } from './convention-state';
import { perDatabase } from './per-database';
import type { ReadModelTx } from './projection-context';

/**
 * Conventions whose state stays in memory between batches, least recently projected dropped
 * first: a rebuild works on the conventions active at that point of the log, a live projector on
 * those recently written to. It bounds the memory the projector holds, whatever the store's size.
 */
export const CACHED_CONVENTIONS = 256;

/**
 * The convention states of one read-model database, kept from batch to batch so that a batch does
 * not read back what the previous ones wrote. A cached state is used only while it is still what
 * the tables hold: before each batch the stored `last_position` of every cached convention it
 * touches is read (one query) and a state whose position differs is loaded again. Since a
 * convention's rows are a function of its events up to that position, an equal position means
 * equal rows, whoever wrote them (another process, a rebuild). States changed by a batch that
 * failed are dropped. Batches on one database run one at a time.
 */
export class ConventionStateCache {
  private readonly states = new Map<string, ConventionState>();
  private queue: Promise<unknown> = Promise.resolve();

  /**
   * `checkStored` false: the cached states are used without reading the stored positions, for a
   * writer that knows it is the tables' only one and whose writes may not be committed yet (the
   * rebuild's projection worker, projector/projection-worker/ahead-projection.ts).
   */
  constructor(private readonly checkStored = true, private readonly capacity = CACHED_CONVENTIONS) {}

  /** Runs `work` after every batch started before it on this database. */
  exclusive<T>(work: () => Promise<T>): Promise<T> {
    const run = this.queue.then(work, work);
    this.queue = run.catch(() => undefined);
    return run;
  }

  /**
   * The current state of each convention: cached when still current, empty for those in
   * `startingHere` (whose stream begins in this batch: startingStreamsOf), else read from the tables.
   */
  async statesOf(
    tx: ReadModelTx, conventionIds: readonly string[], startingHere: ReadonlySet<string> = NONE,
  ): Promise<Map<string, ConventionState>> {
    const cached = conventionIds.filter((id) => this.states.has(id));
    if (cached.length > 0 && this.checkStored) {
      const stored = await tx.selectFrom('rm_conventions').select(['convention_id', 'last_position'])
        .where('convention_id', 'in', inList(cached)).execute();
      const storedPositions = new Map(stored.map((row) => [row.convention_id, Number(row.last_position)]));
      for (const id of cached) {
        if (storedPositions.get(id) !== Number(this.states.get(id)!.convention!.last_position)) this.states.delete(id);
      }
    }
    const loaded = await loadConventionStates(tx, conventionIds.filter((id) => !this.states.has(id) && !startingHere.has(id)));
    return new Map(conventionIds.map((id) => [id, this.states.get(id) ?? loaded.get(id) ?? emptyConventionState(id)]));
  }

  /**
   * Keeps these states (as the tables will hold them once the batch commits), most recent last.
   * Returns the conventions whose states are not kept any more: these, if unregistered, and the
   * least recently projected beyond the capacity.
   */
  keep(states: Iterable<ConventionState>): string[] {
    const dropped: string[] = [];
    for (const state of states) {
      this.states.delete(state.conventionId);
      // Only a registered convention has a position to check the state against.
      if (state.convention) this.states.set(state.conventionId, state);
      else dropped.push(state.conventionId);
    }
    for (const id of this.states.keys()) {
      if (this.states.size <= this.capacity) break;
      this.states.delete(id);
      dropped.push(id);
    }
    return dropped;
  }

  forget(conventionIds: Iterable<string>): void {
    for (const id of conventionIds) this.states.delete(id);
  }
}

const NONE: ReadonlySet<string> = new Set();

/** The cache of one database (one Kysely instance: pass the same one to every batch). */
export const conventionStateCacheOf = perDatabase(() => new ConventionStateCache());
