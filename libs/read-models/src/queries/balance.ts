import type { Kysely } from 'kysely';
import { formatMoney } from '@cl/domain';
import { figuresAsOf, type Figures, type FiguresStatus, type OwedFigures, type TrancheFigureStatus } from '@cl/domain/figures';
import type { BalancesTable, ReadModelTables } from '../database/read-model-tables';
import { loadLedgerFacts } from './ledger-facts';

export type ConventionStatus = FiguresStatus;
export type TrancheStatus = TrancheFigureStatus;

export interface TrancheBalance {
  number: number;
  amount: string;
  status: TrancheStatus;
  paid: string;
}

export interface OwedBalance {
  due: string;
  paid: string;
  outstanding: string;
}

/** The figures of figures.ts in the shape of docs/api.md: money as two-decimal strings. */
export interface Balance {
  conventionId: string;
  asOf: string | null;
  status: ConventionStatus;
  ceiling: string;
  committed: string;
  serviceDone: string;
  paid: string;
  consumed: string;
  rejected: string;
  called: string;
  due: string;
  received: string;
  outstanding: string;
  remainingCeiling: string;
  tranches: TrancheBalance[];
  /** C1/X1: present once the convention has ended (closed or terminated). */
  participation?: string;
  /** X1: a terminated convention's figures until a valid final statement exists. */
  provisional: boolean;
  /** What the beneficiary gives back (R1). */
  restitution: OwedBalance;
  /** What the funder still owes after the end, paid by settlement payments (R2). */
  owedToBeneficiary: OwedBalance;
}

const owed = (figures: OwedFigures): OwedBalance =>
  ({ due: formatMoney(figures.due), paid: formatMoney(figures.paid), outstanding: formatMoney(figures.outstanding) });

/** Formats the figures; no figure is computed here (figures.ts is the one definition). */
export function balanceOf(conventionId: string, figures: Figures, asOf?: string): Balance {
  return {
    conventionId,
    asOf: asOf ?? null,
    status: figures.status,
    ceiling: formatMoney(figures.ceiling),
    committed: formatMoney(figures.committed),
    serviceDone: formatMoney(figures.serviceDone),
    paid: formatMoney(figures.paid),
    consumed: formatMoney(figures.consumed),
    rejected: formatMoney(figures.rejected),
    called: formatMoney(figures.called),
    due: formatMoney(figures.due),
    received: formatMoney(figures.received),
    outstanding: formatMoney(figures.outstanding),
    remainingCeiling: formatMoney(figures.remainingCeiling),
    tranches: figures.tranches.map((tranche) => ({
      number: tranche.number, amount: formatMoney(tranche.amount), status: tranche.status, paid: formatMoney(tranche.paid),
    })),
    ...(figures.participation !== undefined ? { participation: formatMoney(figures.participation) } : {}),
    provisional: figures.provisional,
    restitution: owed(figures.restitution),
    owedToBeneficiary: owed(figures.owedToBeneficiary),
  };
}

/**
 * The balance as of a business date, or the current one when asOf is undefined: the domain's
 * figuresAsOf over the facts of the read models, so "current" is exactly "as of the end of time".
 */
export async function readBalance(db: Kysely<ReadModelTables>, conventionId: string, asOf?: string): Promise<Balance | undefined> {
  const facts = await loadLedgerFacts(db, conventionId);
  return facts && balanceOf(conventionId, figuresAsOf(facts, asOf), asOf);
}

/**
 * The current balance as the projector stored it with the facts (rm_balances and its tranches,
 * balance-projection.ts): the same figuresAsOf without a date over the same facts, computed once
 * per change instead of on every request from every fact of the convention. One statement, so one
 * snapshot: never the figures of one batch with the tranches of the next. A convention without
 * a stored row (none is known) is answered from the facts.
 */
export async function readCurrentBalance(db: Kysely<ReadModelTables>, conventionId: string): Promise<Balance | undefined> {
  const rows = await db.selectFrom('rm_balances as b')
    .leftJoin('rm_balance_tranches as t', 't.convention_id', 'b.convention_id')
    .selectAll('b')
    .select(['t.number as tranche_number', 't.amount as tranche_amount', 't.status as tranche_status', 't.paid as tranche_paid'])
    .where('b.convention_id', '=', conventionId)
    .orderBy('t.number')
    .execute();
  if (rows.length === 0) return readBalance(db, conventionId);
  const tranches = rows.filter((row) => row.tranche_number !== null).map((row): TrancheBalance => ({
    number: Number(row.tranche_number), amount: row.tranche_amount!, status: row.tranche_status!, paid: row.tranche_paid!,
  }));
  return balanceFromStored(rows[0], tranches);
}

/** A stored row back into the balance it was written from (balance-projection.ts, balanceRow): the same members in the same order. */
export function balanceFromStored(row: BalancesTable, tranches: TrancheBalance[]): Balance {
  return {
    conventionId: row.convention_id,
    asOf: null,
    status: row.status,
    ceiling: row.ceiling,
    committed: row.committed,
    serviceDone: row.service_done,
    paid: row.paid,
    consumed: row.consumed,
    rejected: row.rejected,
    called: row.called,
    due: row.due,
    received: row.received,
    outstanding: row.outstanding,
    remainingCeiling: row.remaining_ceiling,
    tranches,
    ...(row.participation !== null ? { participation: row.participation } : {}),
    provisional: Number(row.provisional) === 1,
    restitution: { due: row.restitution_due, paid: row.restitution_paid, outstanding: row.restitution_outstanding },
    owedToBeneficiary: { due: row.owed_to_beneficiary_due, paid: row.owed_to_beneficiary_paid, outstanding: row.owed_to_beneficiary_outstanding },
  };
}
