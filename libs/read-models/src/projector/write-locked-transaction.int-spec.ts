import {
  SelectQueryNode, TableNode, type KyselyPlugin, type PluginTransformQueryArgs, type PluginTransformResultArgs, type QueryResult,
  type RootOperationNode, type UnknownRow,
} from 'kysely';
import { applyBatch, dumpReadModels } from '@cl/read-models';
import { describeEachDialect } from '../../../../test/read-models/support/read-model-dialects';
import { referenceCase, useLedgerAndReadModels } from '../../../../test/read-models/support/ledger-fixture';
import { sql } from 'kysely';
import { applyBatchUnderWriteLock, inWriteLockedTransaction } from './write-locked-transaction';

/** How many selects read each table, reset at will. */
class SelectsPerTable implements KyselyPlugin {
  counts = new Map<string, number>();

  transformQuery({ node }: PluginTransformQueryArgs): RootOperationNode {
    if (SelectQueryNode.is(node)) {
      for (const from of node.from?.froms ?? []) {
        if (TableNode.is(from)) this.counts.set(from.table.identifier.name, (this.counts.get(from.table.identifier.name) ?? 0) + 1);
      }
    }
    return node;
  }

  async transformResult({ result }: PluginTransformResultArgs): Promise<QueryResult<UnknownRow>> {
    return result;
  }

  /** The counts since the last call, of these tables. */
  take(tables: readonly string[]): Record<string, number> {
    const taken = Object.fromEntries(tables.map((table) => [table, this.counts.get(table) ?? 0]));
    this.counts.clear();
    return taken;
  }
}

/**
 * On SQLite each write-locked batch runs on a Kysely instance of its own, over the connection that
 * holds the lock (write-locked-transaction.ts); the projector's caches of the database it stands
 * for (convention states, statement templates) must serve it, or every batch reads back the state
 * of every convention it touches. A cached state stays correct when another writer changes the
 * tables in between: batch-equivalence.int-spec.ts (two instances writing in turn).
 */
describeEachDialect('write-locked batches', (harness) => {
  const fixture = useLedgerAndReadModels(harness);

  it('a write-locked batch on a convention already projected does not read its state back, and the tables equal a projection without the cache', async () => {
    await fixture.ledger.append('c-0001', referenceCase('c-0001'));
    const log = await fixture.ledger.store.readAll({ maxCount: 1000 });
    const batches = Array.from({ length: Math.ceil(log.length / 8) }, (_, index) => log.slice(index * 8, index * 8 + 8));
    expect(batches.length).toBeGreaterThan(2);

    // Plugins of the database passed in apply inside the write-locked instance too.
    const selects = new SelectsPerTable();
    const counted = fixture.readModels.db.withPlugin(selects);
    const readsPerBatch: Record<string, number>[] = [];
    for (const batch of batches) {
      await applyBatchUnderWriteLock(counted, batch);
      // rm_expenses is read only to load a state (convention-state.ts); rm_conventions also by the
      // cache, for the stored last_position of the states it holds.
      readsPerBatch.push(selects.take(['rm_expenses', 'rm_conventions']));
    }
    // The stream begins in the first batch: nothing of it to read back (apply-batch.ts, startingStreamsOf).
    expect(readsPerBatch[0]).toEqual({ rm_expenses: 0, rm_conventions: 0 });
    expect(readsPerBatch.slice(1)).toEqual(batches.slice(1).map(() => ({ rm_expenses: 0, rm_conventions: 1 })));

    // Without the cache: each batch on a new instance, whose cache is empty, reads every state back.
    const uncached = await harness.open();
    try {
      const uncachedSelects = new SelectsPerTable();
      for (const batch of batches) await applyBatch(uncached.db.withoutPlugins().withPlugin(uncachedSelects), batch);
      // Every batch after the first reads the state back, once.
      expect(uncachedSelects.take(['rm_expenses'])).toEqual({ rm_expenses: batches.length - 1 });
      expect(await dumpReadModels(fixture.readModels.db)).toEqual(await dumpReadModels(uncached.db));
    } finally {
      await uncached.close();
    }
  });
});

describeEachDialect('a write-locked transaction that fails', (harness) => {
  const fixture = useLedgerAndReadModels(harness);

  it('reports the error of the work, even when the database rolled the transaction back by itself (SQLite: disk full)', async () => {
    const { db } = fixture.readModels;
    if (harness.dialect === 'sqlite') {
      const pages = Number((await sql<{ page_count: number }>`pragma page_count`.execute(db)).rows[0].page_count);
      await sql.raw(`pragma max_page_count = ${pages}`).execute(db);
    }
    // SQLite: the database is full (SQLITE_FULL, after which it has already rolled back); PostgreSQL: a plain failure.
    const work = inWriteLockedTransaction(db, async (locked) => {
      await sql`insert into rm_stats (indicator, value) values ('filler', ${'x'.repeat(200_000)})`.execute(locked);
      if (harness.dialect === 'postgres') throw Object.assign(new Error('refused'), { code: 'REFUSED' });
    });
    await expect(work).rejects.toMatchObject({ code: harness.dialect === 'sqlite' ? 'SQLITE_FULL' : 'REFUSED' });
    if (harness.dialect === 'sqlite') await sql`pragma max_page_count = 1073741823`.execute(db);
    expect(Number((await sql<{ n: number }>`select count(*) as n from rm_stats where indicator = 'filler'`.execute(db)).rows[0].n)).toBe(0);
  });
});
