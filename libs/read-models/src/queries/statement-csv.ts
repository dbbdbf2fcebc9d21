import { csvHead, csvRow, type CsvCell, type CsvDialect } from '../documents/csv';
import type { StatementView } from './views';

/**
 * The columns of a statement as CSV, in order. The first seven are those of v1 (a reader by
 * position keeps working); then the expense details (D1, v2; empty when unknown); then, on a
 * correction row, the statement that listed the expense, the rejection date and its reason.
 * A line has `type` `line`; a correction (an expense listed earlier and rejected since) has
 * `type` `correction`, a negative `amount`, and only expenseId and the correction columns.
 */
export const STATEMENT_CSV_COLUMNS = [
  'expenseId', 'category', 'description', 'amount', 'committedOn', 'serviceDoneOn', 'paidOn',
  'contract', 'payeeName', 'payeeSiret', 'commitmentNumber', 'invoiceNumber', 'invoiceIssuedOn', 'paymentOrder',
  'type', 'listedOn', 'rejectedOn', 'rejectionReason',
] as const;

type CsvRecord = Partial<Record<(typeof STATEMENT_CSV_COLUMNS)[number], CsvCell>>;

/** A statement's lines, then its corrections, as CSV (one header row, CRLF line ends) in the dialect asked (documents/csv.ts). */
export function statementCsv(statement: Pick<StatementView, 'lines' | 'corrections'>, dialect: CsvDialect = 'rfc4180'): string {
  const records: CsvRecord[] = [
    ...statement.lines.map((line): CsvRecord => ({
      expenseId: line.expenseId,
      category: line.category,
      description: line.description,
      amount: { amount: line.amount },
      committedOn: line.committedOn,
      serviceDoneOn: line.serviceDoneOn,
      paidOn: line.paidOn,
      contract: line.contract ?? '',
      payeeName: line.payee?.name ?? '',
      payeeSiret: line.payee?.siret ?? '',
      commitmentNumber: line.commitmentNumber ?? '',
      invoiceNumber: line.invoice?.number ?? '',
      invoiceIssuedOn: line.invoice?.issuedOn ?? '',
      paymentOrder: line.paymentOrder ?? '',
      type: 'line',
    })),
    ...statement.corrections.map((correction): CsvRecord => ({
      expenseId: correction.expenseId,
      amount: { amount: correction.amount },
      type: 'correction',
      listedOn: String(correction.listedOn),
      rejectedOn: correction.rejectedOn,
      rejectionReason: correction.reason,
    })),
  ];
  return csvHead(STATEMENT_CSV_COLUMNS, dialect)
    + records.map((record) => csvRow(STATEMENT_CSV_COLUMNS.map((column) => record[column] ?? ''), dialect)).join('');
}
