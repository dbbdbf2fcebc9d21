import type { StatementView } from './views';

const CSV_COLUMNS = ['expenseId', 'category', 'description', 'amount', 'committedOn', 'serviceDoneOn', 'paidOn'] as const;

/** RFC 4180: a field holding a comma, a quote, CR or LF is quoted, inner quotes doubled. */
function csvField(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

/** A statement's lines as CSV (RFC 4180, CRLF line ends, one header row). */
export function statementCsv(statement: Pick<StatementView, 'lines'>): string {
  const rows = [
    CSV_COLUMNS.join(','),
    ...statement.lines.map((line) => CSV_COLUMNS.map((column) => csvField(line[column])).join(',')),
  ];
  return rows.map((row) => `${row}\r\n`).join('');
}
