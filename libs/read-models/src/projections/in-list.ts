/**
 * The values of an `IN (…)` list, padded to a power of two by repeating the last one, which
 * changes no result. The SQL text, and so the statement SQLite keeps prepared for it
 * (database/create-read-model-db.ts, withStatementCache), is then one of a few per query instead
 * of one per list length: with a text per length, the projector's statement cache filled up with
 * large statements and a rebuild's memory grew with the store (docs/performance.md).
 */
export function inList<T>(values: readonly T[]): T[] {
  const padded = [...values];
  if (padded.length === 0) return padded;
  let size = 1;
  while (size < padded.length) size *= 2;
  while (padded.length < size) padded.push(padded[padded.length - 1]);
  return padded;
}
