/**
 * A small RFC 4180 reader for the tests, for both dialects of documents/csv.ts: fields split on
 * `separator`, quoted fields may hold it, quotes (doubled) and line breaks; records end with CRLF.
 * A byte-order mark at the start is dropped.
 */
export function parseCsv(text: string, separator: ',' | ';'): string[][] {
  const records: string[][] = [];
  let record: string[] = [];
  let field = '';
  let quoted = false;
  const body = text.startsWith('\uFEFF') ? text.slice(1) : text;
  for (let i = 0; i < body.length; i += 1) {
    const char = body[i];
    if (quoted) {
      if (char === '"' && body[i + 1] === '"') { field += '"'; i += 1; }
      else if (char === '"') quoted = false;
      else field += char;
    } else if (char === '"') quoted = true;
    else if (char === separator) { record.push(field); field = ''; }
    else if (char === '\r' && body[i + 1] === '\n') { record.push(field); records.push(record); record = []; field = ''; i += 1; }
    else field += char;
  }
  if (field !== '' || record.length > 0) throw new Error('CSV does not end with CRLF');
  return records;
}
