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

type CsvRecord = Partial<Record<(typeof STATEMENT_CSV_COLUMNS)[number], string>>;

/** RFC 4180: a field holding a comma, a quote, CR or LF is quoted, inner quotes doubled. */
function csvField(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

/** A statement's lines, then its corrections, as CSV (RFC 4180, CRLF line ends, one header row). */
export function statementCsv(statement: Pick<StatementView, 'lines' | 'corrections'>): string {
  const records: CsvRecord[] = [
    ...statement.lines.map((line): CsvRecord => ({
      expenseId: line.expenseId,
      category: line.category,
      description: line.description,
      amount: line.amount,
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
      amount: correction.amount,
      type: 'correction',
      listedOn: String(correction.listedOn),
      rejectedOn: correction.rejectedOn,
      rejectionReason: correction.reason,
    })),
  ];
  const rows = [
    STATEMENT_CSV_COLUMNS.join(','),
    ...records.map((record) => STATEMENT_CSV_COLUMNS.map((column) => csvField(record[column] ?? '')).join(',')),
  ];
  return rows.map((row) => `${row}\r\n`).join('');
}
