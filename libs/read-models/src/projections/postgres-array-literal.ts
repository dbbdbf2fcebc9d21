const NEEDS_ESCAPE = /["\\]/;
const ESCAPED = /["\\]/g;

/**
 * A PostgreSQL array literal of one column's values (`{"a","b c",NULL}`), bound as the text of
 * a `$n::type[]` parameter. node-postgres writes the same from a JavaScript array, element by
 * element through its generic value preparation, which cost a PostgreSQL rebuild more of its
 * thread than anything but the read of the log (docs/performance.md). Every value but null is
 * written quoted, backslashes and double quotes escaped: a quoted element is taken as it is
 * (`"NULL"` is the text NULL, spaces and braces kept), and each element type parses its text.
 */
export function postgresArrayLiteral(values: readonly unknown[]): string {
  let literal = '{';
  for (let index = 0; index < values.length; index++) {
    if (index > 0) literal += ',';
    const value = values[index];
    if (value === null || value === undefined) {
      literal += 'NULL';
      continue;
    }
    const text = typeof value === 'string' ? value : String(value);
    literal += NEEDS_ESCAPE.test(text) ? `"${text.replace(ESCAPED, '\\$&')}"` : `"${text}"`;
  }
  return `${literal}}`;
}
