import Decimal from 'decimal.js';
import { figuresAsOf } from '@cl/domain/figures';
import { balanceOf, type Balance } from '../queries/balance';
import { knownAsOf, settledOn } from '../queries/as-of';
import type { BalancesTable, BalanceTranchesTable } from '../database/read-model-tables';
import { formatIndicator, SUMMED_BALANCE_COLUMNS } from '../database/stats-indicators';
import type { BatchWrites } from './batch-writes';
import { ledgerFactsOf, type ConventionState } from './convention-state';
import type { ReadModelTx } from './projection-context';

/** How much each stats indicator moves in this batch (exact decimals). */
export class StatsDelta {
  private readonly changes = new Map<string, Decimal>();

  add(indicator: string, amount: Decimal.Value): void {
    if (amount === 0) return;
    this.changes.set(indicator, (this.changes.get(indicator) ?? new Decimal(0)).plus(amount));
  }

  /** The indicators that move, with their change. */
  moves(): [string, Decimal][] {
    return [...this.changes].filter(([, change]) => !change.isZero());
  }

  /** The moves as text, exact (decimal.js objects do not survive a copy to another thread). */
  movesAsText(): [string, string][] {
    return this.moves().map(([indicator, change]) => [indicator, change.toString()]);
  }

  static fromText(moves: readonly (readonly [string, string])[]): StatsDelta {
    const delta = new StatsDelta();
    for (const [indicator, change] of moves) delta.add(indicator, new Decimal(change));
    return delta;
  }
}

/** The stored form of a current balance (queries/balance.ts, balanceFromStored, reads it back). */
export function balanceRow(balance: Balance, counts: { expenses: number; statements: number }, lastPosition: number): BalancesTable {
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

const sameTranches = (a: readonly BalanceTranchesTable[], b: readonly BalanceTranchesTable[]) =>
  a.length === b.length && a.every((row, index) =>
    row.number === b[index].number && row.amount === b[index].amount && row.status === b[index].status && row.paid === b[index].paid);

/**
 * Refreshes the stored current figures of a convention the batch touched (figuresAsOf with no
 * date over its facts, kept in memory: the code and the facts of the balance query), the status
 * and settlement date of rm_conventions with them, and moves the stats by the difference with
 * the figures stored before: stats stay exact sums without rescanning every convention.
 */
export function refreshFigures(state: ConventionState, lastPosition: number, writes: BatchWrites, delta: StatsDelta): void {
  const convention = state.convention;
  if (!convention) return;
  const balance = balanceOf(state.conventionId, figuresAsOf(ledgerFactsOf({ ...state, convention })));
  const row = balanceRow(balance, { expenses: state.expenses.size, statements: state.statements.size }, lastPosition);
  const previous = state.balance;
  for (const column of SUMMED_BALANCE_COLUMNS) {
    // A column whose stored text is unchanged moves nothing: most of them, batch after batch (no decimals parsed then).
    if (previous && row[column] === previous[column]) continue;
    delta.add(column, new Decimal(row[column] ?? 0).minus(previous?.[column] ?? 0));
  }
  if (previous?.status !== row.status) {
    if (previous) delta.add(`conventions_${previous.status}`, -1);
    delta.add(`conventions_${row.status}`, 1);
  }
  delta.add('conventions_provisional', row.provisional - (previous?.provisional ?? 0));
  if (!previous) delta.add('conventions', 1);
  if (previous) {
    writes.update('rm_balances', Object.assign(previous, row));
  } else {
    state.balance = row;
    writes.insert('rm_balances', row);
  }

  const tranches = balance.tranches.map((tranche): BalanceTranchesTable => ({
    convention_id: state.conventionId, number: tranche.number, amount: tranche.amount, status: tranche.status, paid: tranche.paid,
  }));
  if (!sameTranches(tranches, state.balanceTranches)) {
    writes.replaceConventionRows('rm_balance_tranches', state.conventionId, tranches);
    state.balanceTranches = tranches;
  }

  const settled = settledOn(balance.status, state.settlements, knownAsOf());
  if (convention.status !== row.status || convention.settled_on !== settled) {
    Object.assign(convention, { status: row.status, settled_on: settled });
    writes.update('rm_conventions', convention);
  }
}

/** Moves the stats indicators by the batch's delta: one read and one multi-row write. */
export async function applyStatsDelta(tx: ReadModelTx, delta: StatsDelta, writes: BatchWrites): Promise<void> {
  const moves = delta.moves();
  if (moves.length === 0) return;
  const current = await tx.selectFrom('rm_stats').select(['indicator', 'value'])
    .where('indicator', 'in', moves.map(([indicator]) => indicator)).execute();
  const values = new Map(current.map((row) => [row.indicator, row.value]));
  for (const [indicator, change] of moves) {
    // Every indicator row exists from schema creation, so batching never changes which rows exist.
    const value = values.get(indicator);
    if (value === undefined) throw new Error(`rm_stats has no indicator ${indicator}`);
    writes.update('rm_stats', { indicator, value: formatIndicator(indicator, new Decimal(value).plus(change)) });
  }
}
