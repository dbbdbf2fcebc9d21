import type { BalancesTable, ConventionStatusColumn } from './read-model-tables';

/** Stats indicators that are plain sums of a balance column over all conventions (a null participation counts 0). */
export const SUMMED_BALANCE_COLUMNS = [
  'ceiling', 'committed', 'consumed', 'rejected', 'called', 'due', 'received', 'outstanding', 'participation',
  'restitution_due', 'restitution_paid', 'restitution_outstanding',
  'owed_to_beneficiary_due', 'owed_to_beneficiary_paid', 'owed_to_beneficiary_outstanding',
  'expenses_count', 'statements_count',
] as const satisfies readonly (keyof BalancesTable)[];

export const CONVENTION_STATUSES: readonly ConventionStatusColumn[] = ['draft', 'active', 'closed', 'terminated', 'settled'];

export const COUNT_INDICATORS = [
  'events', 'conventions', ...CONVENTION_STATUSES.map((status) => `conventions_${status}`), 'conventions_provisional',
  'expenses_count', 'statements_count',
];

export const STATS_INDICATORS: readonly string[] = [
  ...COUNT_INDICATORS,
  ...SUMMED_BALANCE_COLUMNS.filter((column) => !COUNT_INDICATORS.includes(column)),
];

/** Counts are integers, money keeps two decimals: every indicator has one textual form. */
export const formatIndicator = (indicator: string, value: { toFixed(places: number): string }) =>
  value.toFixed(COUNT_INDICATORS.includes(indicator) ? 0 : 2);
