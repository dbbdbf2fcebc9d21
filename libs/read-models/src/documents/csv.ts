/**
 * CSV in two dialects (docs/api.md, "CSV dialects"):
 * - `rfc4180` (the default): comma, decimal point, CRLF, UTF-8 without BOM;
 * - `fr`: what a French spreadsheet opens as is: semicolon, decimal comma, CRLF, UTF-8 with a
 *   byte-order mark (without it Excel reads UTF-8 as Windows-1252).
 * Both quote a field holding the separator, a quote, CR or LF, and double inner quotes.
 */
export const CSV_DIALECTS = ['rfc4180', 'fr'] as const;
export type CsvDialect = (typeof CSV_DIALECTS)[number];

export const isCsvDialect = (value: unknown): value is CsvDialect => CSV_DIALECTS.includes(value as CsvDialect);

/**
 * A cell: text (anything a user wrote, or an identifier or date), or an amount we computed. Only
 * text is neutralised against formula injection; an amount is ours, always matches
 * `-?[0-9]+\.[0-9]{2}`, and must stay a number for the spreadsheet (a correction's is negative).
 */
export type CsvCell = string | { amount: string };

const SEPARATOR: Record<CsvDialect, string> = { rfc4180: ',', fr: ';' };

/** A text starting with one of these is read as a formula (or hides one) by spreadsheets. */
const FORMULA_TRIGGER = /^[=+\-@\t\r]/;

/**
 * Formula injection (OWASP "CSV injection"): a text cell starting with `=`, `+`, `-`, `@`, a tab
 * or a carriage return gets a leading apostrophe, which spreadsheets show as text and never
 * evaluate. The apostrophe is the only change: strip it to get the text back.
 */
export const neutraliseFormula = (text: string): string => (FORMULA_TRIGGER.test(text) ? `'${text}` : text);

function field(cell: CsvCell, dialect: CsvDialect): string {
  const text = typeof cell === 'string'
    ? neutraliseFormula(cell)
    : dialect === 'fr' ? cell.amount.replace('.', ',') : cell.amount;
  const separator = SEPARATOR[dialect];
  return text.includes(separator) || /["\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** One record, CRLF-terminated. */
export const csvRow = (cells: readonly CsvCell[], dialect: CsvDialect): string =>
  `${cells.map((cell) => field(cell, dialect)).join(SEPARATOR[dialect])}\r\n`;

/** What a document starts with: the byte-order mark of the `fr` dialect, then the header row. */
export const csvHead = (columns: readonly string[], dialect: CsvDialect): string =>
  `${dialect === 'fr' ? '\uFEFF' : ''}${csvRow(columns, dialect)}`;

export const CSV_CONTENT_TYPE = 'text/csv; charset=utf-8; header=present';
