import type { Kysely } from 'kysely';
import type { ReadModelTables } from '../database/read-model-tables';
import type { CsvCell } from '../documents/csv';
import type { ConventionStatus } from './balance';

/** An organisation as the 360Giving standard names one: its identifier and name. */
export interface OpenDataOrganisation { id: string; name: string }

/**
 * One convention's public facts (article 9), as a 360Giving grant where a field fits
 * (docs/open-data.md gives the mapping); `reference`, `status` and `amountConsumed` are this
 * ledger's own. Never a bank detail, nor a person's name (representatives, signatories).
 */
export interface OpenDataGrant {
  id: string;
  reference: string;
  title: string;
  currency: 'EUR';
  /** The ceiling in force now. */
  amountAwarded: string;
  /** Received: the tranche payments. */
  amountDisbursed: string;
  amountConsumed: string;
  /** The day it took effect (both signatures), null while unsigned. */
  awardDate: string | null;
  plannedDates: { startDate: string | null; endDate: string | null; duration: number }[];
  recipientOrganization: OpenDataOrganisation[];
  fundingOrganization: OpenDataOrganisation[];
  status: ConventionStatus;
}

/** At most this many conventions in one JSON page. */
export const OPEN_DATA_MAX_PAGE = 1000;

/**
 * A page of conventions in identifier order, after the identifier `after` (keyset pagination:
 * a page costs the same however deep, and a convention registered meanwhile never shifts the
 * others). Current figures from rm_balances.
 */
export async function readOpenDataPage(db: Kysely<ReadModelTables>, page: { after?: string; limit: number }): Promise<OpenDataGrant[]> {
  let query = db.selectFrom('rm_conventions as c')
    .innerJoin('rm_balances as b', 'b.convention_id', 'c.convention_id')
    .select([
      'c.convention_id', 'c.reference', 'c.title', 'c.status', 'c.ceiling', 'c.effective_on', 'c.ends_on', 'c.duration_months',
      'c.funder_name', 'c.funder_organisation', 'c.beneficiary_name', 'c.beneficiary_organisation',
      'b.received', 'b.consumed',
    ])
    .orderBy('c.convention_id').limit(page.limit);
  if (page.after !== undefined) query = query.where('c.convention_id', '>', page.after);
  const rows = await query.execute();
  return rows.map((row): OpenDataGrant => ({
    id: row.convention_id,
    reference: row.reference,
    title: row.title,
    currency: 'EUR',
    amountAwarded: row.ceiling,
    amountDisbursed: row.received,
    amountConsumed: row.consumed,
    awardDate: row.effective_on,
    plannedDates: [{ startDate: row.effective_on, endDate: row.ends_on, duration: row.duration_months }],
    recipientOrganization: [{ id: row.beneficiary_organisation, name: row.beneficiary_name }],
    fundingOrganization: [{ id: row.funder_organisation, name: row.funder_name }],
    status: row.status,
  }));
}

/** The CSV columns: the 360Giving spreadsheet titles where a field fits, then the ledger's own. */
export const OPEN_DATA_CSV_COLUMNS = [
  'Identifier', 'Reference', 'Title', 'Currency', 'Amount Awarded', 'Amount Disbursed', 'Amount Consumed', 'Award Date',
  'Planned Dates:Start Date', 'Planned Dates:End Date', 'Planned Dates:Duration (months)',
  'Recipient Org:Identifier', 'Recipient Org:Name', 'Funding Org:Identifier', 'Funding Org:Name', 'Status',
] as const;

export function openDataCsvCells(grant: OpenDataGrant): CsvCell[] {
  const [dates] = grant.plannedDates;
  const [recipient] = grant.recipientOrganization;
  const [funder] = grant.fundingOrganization;
  return [
    grant.id, grant.reference, grant.title, grant.currency,
    { amount: grant.amountAwarded }, { amount: grant.amountDisbursed }, { amount: grant.amountConsumed }, grant.awardDate ?? '',
    dates.startDate ?? '', dates.endDate ?? '', String(dates.duration),
    recipient.id, recipient.name, funder.id, funder.name, grant.status,
  ];
}
