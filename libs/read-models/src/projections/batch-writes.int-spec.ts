import { sql } from 'kysely';
import type { ExpensesTable } from '../database/read-model-tables';
import { describeEachDialect } from '../../../../test/read-models/support/read-model-dialects';
import { BatchWrites, statementTemplatesOf } from './batch-writes';

/** Texts a PostgreSQL array literal must escape, and a few SQLite might mangle. */
const AWKWARD_TEXTS = ['', 'NULL', 'null', '"quoted"', "it's", 'back\\slash', '{braces}', 'a,b', ' spaced ', 'line\nbreak', 'tab\there', 'Études à 100 %', '😀', 'semi;colon'];

function expense(index: number): ExpensesTable {
  const awkward = AWKWARD_TEXTS[index % AWKWARD_TEXTS.length];
  return {
    convention_id: `c-${index % 3}`, expense_id: `e-${String(index).padStart(4, '0')}`, category: 'design', description: `${awkward}#${index}`,
    contract: index % 2 === 0 ? null : awkward, amount: `${index}.0${index % 10}`, state: 'committed', committed_on: '2026-11-10',
    payee_name: index % 5 === 0 ? awkward : null, payee_siret: null, commitment_number: null, service_done_on: null,
    invoice_number: null, invoice_issued_on: null, paid_on: null, payment_order: null, accepted_on: null, rejected_on: null,
    rejection_reason: null, rejected_at_step: null, recovery_order: null, position: 9_007_199_254_740 + index,
  };
}

describeEachDialect('batch writes', (harness) => {
  it('writes new and changed rows exactly as held, awkward texts, NULLs and large positions included, whatever the row count', async () => {
    const readModels = await harness.open();
    try {
      const templates = statementTemplatesOf(readModels.db);
      // 203 rows: several multi-row statements of different sizes on SQLite, one array statement on PostgreSQL.
      const rows = Array.from({ length: 203 }, (_, index) => expense(index));
      await readModels.db.transaction().execute(async (tx) => {
        const writes = new BatchWrites();
        writes.insert('rm_expenses', ...rows);
        await writes.flush(tx, templates);
      });
      // Changed in a later batch: an upsert of rows that exist, some fields set, one set back to NULL.
      const changed = rows.filter((_, index) => index % 7 === 0).map((row) => ({
        ...row, state: 'paid' as const, paid_on: '2026-11-20', payment_order: `PO ${row.description}`, contract: null,
      }));
      await readModels.db.transaction().execute(async (tx) => {
        const writes = new BatchWrites();
        for (const row of changed) writes.update('rm_expenses', row);
        await writes.flush(tx, templates);
      });
      const expected = rows.map((row) => changed.find((other) => other.expense_id === row.expense_id) ?? row)
        .sort((a, b) => a.expense_id.localeCompare(b.expense_id));
      const stored = await readModels.db.selectFrom('rm_expenses').selectAll().orderBy('expense_id').execute();
      expect(stored.map((row) => ({ ...row, position: Number(row.position) }))).toEqual(expected);
    } finally {
      await readModels.close();
    }
  });

  it('inserts the rows of a batch in the order of their primary key, whatever order the handlers gave them in', async () => {
    const readModels = await harness.open();
    try {
      const templates = statementTemplatesOf(readModels.db);
      // Interleaved conventions, ids descending within each: the order a rebuild's handlers give.
      const rows = Array.from({ length: 150 }, (_, index) => expense(149 - index));
      await readModels.db.transaction().execute(async (tx) => {
        const writes = new BatchWrites();
        writes.insert('rm_expenses', ...rows);
        await writes.flush(tx, templates);
      });
      // The physical order of insertion: SQLite's rowid, PostgreSQL's ctid on a fresh table.
      const physical = harness.dialect === 'sqlite'
        ? sql<{ convention_id: string; expense_id: string }>`select convention_id, expense_id from rm_expenses order by rowid`
        : sql<{ convention_id: string; expense_id: string }>`select convention_id, expense_id from rm_expenses order by ctid`;
      const inserted = (await physical.execute(readModels.db)).rows.map((row) => `${row.convention_id} ${row.expense_id}`);
      expect(inserted).toHaveLength(150);
      expect(inserted).toEqual([...inserted].sort());
    } finally {
      await readModels.close();
    }
  });
});
