/**
 * A strict RFC 4180 reader (quoted fields, doubled quotes, CRLF records), to read the CSV back;
 * `separator` ';' reads the `fr` dialect (libs/read-models documents/csv.ts), whose byte-order
 * mark is dropped.
 */
export function parseCsv(csv: string, separator: ',' | ';' = ','): string[][] {
  const text = csv.startsWith('\uFEFF') ? csv.slice(1) : csv;
  const records: string[][] = [];
  let field = '';
  let record: string[] = [];
  let index = 0;
  while (index < text.length) {
    if (text[index] === '"') {
      index += 1;
      for (;;) {
        if (index >= text.length) throw new Error('a quoted field does not end');
        if (text[index] === '"' && text[index + 1] === '"') { field += '"'; index += 2; }
        else if (text[index] === '"') { index += 1; break; }
        else { field += text[index]; index += 1; }
      }
    } else if (text[index] === separator) {
      record.push(field); field = ''; index += 1;
    } else if (text.startsWith('\r\n', index)) {
      record.push(field); records.push(record); field = ''; record = []; index += 2;
    } else {
      field += text[index]; index += 1;
    }
  }
  if (field !== '' || record.length > 0) throw new Error('the last record does not end with CRLF');
  return records;
}

/** The records as objects keyed by the header row. */
export function csvObjects(text: string, separator: ',' | ';' = ','): Record<string, string>[] {
  const [header, ...records] = parseCsv(text, separator);
  for (const record of records) if (record.length !== header.length) throw new Error(`a record has ${record.length} fields, the header ${header.length}`);
  return records.map((record) => Object.fromEntries(header.map((column, index) => [column, record[index]])));
}
