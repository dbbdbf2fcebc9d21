import Decimal from 'decimal.js';
import { sql, type Kysely } from 'kysely';
import type { ReadModelTables } from '../database/read-model-tables';
import type { StatsView } from './views';

/** Cumulative received and consumed at the end of a business day on which either changed. */
export interface StatsHistoryPoint {
  on: string;
  received: string;
  consumed: string;
}

/**
 * The public page's figures (`GET /stats`, `/stats.json`): the stats, the consumption rates, and
 * received vs consumed over time for its chart. One value, rendered as HTML or sent as JSON.
 */
export interface PublicStatsView extends StatsView {
  /** Percentages with two decimals ("37.50"), null when the denominator is zero. */
  consumptionRate: { ofCeiling: string | null; ofReceived: string | null };
  history: StatsHistoryPoint[];
}

/** consumed ÷ denominator, as a percentage rounded half up to two decimals. */
function percentage(part: string, whole: string): string | null {
  const denominator = new Decimal(whole);
  return denominator.isZero() ? null : new Decimal(part).div(denominator).times(100).toDecimalPlaces(2, Decimal.ROUND_HALF_UP).toFixed(2);
}

export function consumptionRates(stats: Pick<StatsView, 'consumed' | 'ceiling' | 'received'>): PublicStatsView['consumptionRate'] {
  return { ofCeiling: percentage(stats.consumed, stats.ceiling), ofReceived: percentage(stats.consumed, stats.received) };
}

/**
 * Amounts are canonical two-decimal text: without the point they are exact integer cents, which
 * both SQLite and PostgreSQL sum exactly as 64-bit integers (10^15 euros, M1, is 10^17 cents),
 * handed back as text so that no JS number ever holds one.
 */
const CENTS = sql<string>`cast(sum(cast(replace(amount, '.', '') as bigint)) as text)`;

/**
 * Received and consumed over all conventions, day by day, as the figures count them
 * (libs/domain/src/figures.ts): received, tranche payments by payment date; consumed, accepted
 * expenses from their acceptance until a rejection (E3). An expense rejected before it was
 * accepted never counted; one accepted and rejected the same day neither.
 */
export async function readStatsHistory(db: Kysely<ReadModelTables>): Promise<StatsHistoryPoint[]> {
  const received = await db.selectFrom('rm_money_facts').select(['occurred_on as on', CENTS.as('cents')])
    .where('kind', '=', 'tranche-payment').groupBy('occurred_on').execute();
  const countedAccepted = db.selectFrom('rm_expenses')
    .where('accepted_on', 'is not', null)
    .where((eb) => eb.or([eb('rejected_on', 'is', null), eb('rejected_on', '>=', eb.ref('accepted_on'))]));
  const accepted = await countedAccepted.select(['accepted_on as on', CENTS.as('cents')]).groupBy('accepted_on').execute();
  const rejected = await countedAccepted.where('rejected_on', 'is not', null).select(['rejected_on as on', CENTS.as('cents')]).groupBy('rejected_on').execute();

  const changes = new Map<string, { received: Decimal; consumed: Decimal }>();
  const add = (on: string | null, field: 'received' | 'consumed', cents: string) => {
    const change = changes.get(on!) ?? { received: new Decimal(0), consumed: new Decimal(0) };
    change[field] = change[field].plus(new Decimal(cents).div(100));
    changes.set(on!, change);
  };
  for (const row of received) add(row.on, 'received', row.cents);
  for (const row of accepted) add(row.on, 'consumed', row.cents);
  for (const row of rejected) add(row.on, 'consumed', `-${row.cents}`);

  let totalReceived = new Decimal(0);
  let totalConsumed = new Decimal(0);
  return [...changes.keys()].sort().map((on) => {
    totalReceived = totalReceived.plus(changes.get(on)!.received);
    totalConsumed = totalConsumed.plus(changes.get(on)!.consumed);
    return { on, received: totalReceived.toFixed(2), consumed: totalConsumed.toFixed(2) };
  });
}
