/**
 * Canonical JSON, the input of every hash of the tamper-evidence chain (docs/event-store.md,
 * "Hash chain"). It is RFC 8785 (JSON Canonicalization Scheme) for the values the ledger
 * stores: the value goes through JSON first (so `undefined` members disappear exactly as they
 * do when the event is written), then objects are written with their keys sorted by UTF-16
 * code units, no whitespace anywhere, strings and numbers as ECMAScript's JSON.stringify writes
 * them. An outsider re-implements it with any JCS library.
 */
export function canonicalJson(value: unknown): string {
  const asStored: unknown = value === undefined ? null : JSON.parse(JSON.stringify(value));
  return write(asStored);
}

function write(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(write).join(',')}]`;
  const members = Object.keys(value)
    .sort()
    .map((key) => `${JSON.stringify(key)}:${write((value as Record<string, unknown>)[key])}`);
  return `{${members.join(',')}}`;
}
