import Decimal from 'decimal.js';
import { figuresAsOf } from '@cl/domain/figures';
import { balanceOf, type Balance } from '../queries/balance';
import { loadLedgerFacts } from '../queries/ledger-facts';
import { knownAsOf, settledOn } from '../queries/as-of';
import type { BalancesTable } from '../database/read-model-tables';
import { formatIndicator, SUMMED_BALANCE_COLUMNS } from '../database/stats-indicators';
import type { ReadModelTx } from './projection-context';

type StatsDelta = Map<string, Decimal>;

function addToDelta(delta: StatsDelta, indicator: string, amount: Decimal.Value) {
  delta.set(indicator, (delta.get(indicator) ?? new Decimal(0)).plus(amount));
}

function balanceRow(balance: Balance, counts: { expenses: number; statements: number }, lastPosition: number): BalancesTable {
  return {
    convention_id: balance.conventionId,
    status: balance.status,
    ceiling: balance.ceiling,
    committed: balance.committed,
    service_done: balance.serviceDone,
    paid: balance.paid,
    consumed: balance.consumed,
    rejected: balance.rejected,
    called: balance.called,
    due: balance.due,
    received: balance.received,
    outstanding: balance.outstanding,
    remaining_ceiling: balance.remainingCeiling,
    participation: balance.participation ?? null,
    provisional: balance.provisional ? 1 : 0,
    restitution_due: balance.restitution.due,
    restitution_paid: balance.restitution.paid,
    restitution_outstanding: balance.restitution.outstanding,
    owed_to_beneficiary_due: balance.owedToBeneficiary.due,
    owed_to_beneficiary_paid: balance.owedToBeneficiary.paid,
    owed_to_beneficiary_outstanding: balance.owedToBeneficiary.outstanding,
    expenses_count: counts.expenses,
    statements_count: counts.statements,
    last_position: lastPosition,
  };
}

/**
 * Recomputes the stored current figures of each convention a batch touched (figuresAsOf with no
 * date, the code of the balance query), the status and settlement date of rm_conventions with
 * them, and moves the global stats by the difference: stats stay exact sums without rescanning
 * every convention on every batch.
 */
export async function refreshBalancesAndStats(tx: ReadModelTx, touched: Map<string, number>, eventsProjected: number): Promise<void> {
  const delta: StatsDelta = new Map();
  addToDelta(delta, 'events', eventsProjected);
  for (const [conventionId, lastPosition] of touched) {
    const facts = await loadLedgerFacts(tx, conventionId);
    if (!facts) continue;
    const expenses = await tx.selectFrom('rm_expenses').select((eb) => eb.fn.countAll<number>().as('count'))
      .where('convention_id', '=', conventionId).executeTakeFirstOrThrow();
    const statements = await tx.selectFrom('rm_statements').select((eb) => eb.fn.countAll<number>().as('count'))
      .where('convention_id', '=', conventionId).executeTakeFirstOrThrow();
    const settlements = await tx.selectFrom('rm_settlements').select(['kind', 'occurred_on'])
      .where('convention_id', '=', conventionId).orderBy('position').execute();
    const balance = balanceOf(conventionId, figuresAsOf(facts));
    const row = balanceRow(balance, { expenses: Number(expenses.count), statements: Number(statements.count) }, lastPosition);
    const previous = await tx.selectFrom('rm_balances').selectAll().where('convention_id', '=', conventionId).executeTakeFirst();
    for (const column of SUMMED_BALANCE_COLUMNS) {
      addToDelta(delta, column, new Decimal(row[column] ?? 0).minus(previous?.[column] ?? 0));
    }
    if (previous?.status !== row.status) {
      if (previous) addToDelta(delta, `conventions_${previous.status}`, -1);
      addToDelta(delta, `conventions_${row.status}`, 1);
    }
    addToDelta(delta, 'conventions_provisional', row.provisional - (previous?.provisional ?? 0));
    if (!previous) addToDelta(delta, 'conventions', 1);
    await tx.deleteFrom('rm_balances').where('convention_id', '=', conventionId).execute();
    await tx.insertInto('rm_balances').values(row).execute();
    await tx.deleteFrom('rm_balance_tranches').where('convention_id', '=', conventionId).execute();
    if (balance.tranches.length > 0) {
      await tx.insertInto('rm_balance_tranches').values(balance.tranches.map((tranche) => ({
        convention_id: conventionId, number: tranche.number, amount: tranche.amount, status: tranche.status, paid: tranche.paid,
      }))).execute();
    }
    await tx.updateTable('rm_conventions')
      .set({ status: row.status, settled_on: settledOn(balance.status, settlements, knownAsOf()) })
      .where('convention_id', '=', conventionId).execute();
  }
  await applyStatsDelta(tx, delta);
}

async function applyStatsDelta(tx: ReadModelTx, delta: StatsDelta): Promise<void> {
  for (const [indicator, change] of delta) {
    if (change.isZero()) continue;
    // Every indicator row exists from schema creation, so batching never changes which rows exist.
    const current = await tx.selectFrom('rm_stats').select('value').where('indicator', '=', indicator).executeTakeFirstOrThrow();
    const value = formatIndicator(indicator, new Decimal(current.value).plus(change));
    await tx.updateTable('rm_stats').set({ value }).where('indicator', '=', indicator).execute();
  }
}
