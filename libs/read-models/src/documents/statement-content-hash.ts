import { createHash } from 'node:crypto';
import { canonicalJson } from './canonical-json';

/**
 * A statement as drawn up (D1): the payload of its `StatementDrawnUp` event, or the read models'
 * view of it (which adds `signatures` and `valid`, and writes an unknown detail as null rather
 * than leaving it out). Only these fields are its content; signatures are not part of what is
 * signed.
 */
export interface StatementContentSource {
  number: number;
  cutoff: string;
  drawnUpOn: string;
  final: boolean;
  lines: readonly object[];
  corrections: readonly object[];
  total: string;
  previousCumulativeTotal: string;
  cumulativeTotal: string;
}

/** Null and undefined mean "not known" alike: both are left out, so the event and its view agree. */
function withoutNulls(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutNulls);
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== null && v !== undefined).map(([k, v]) => [k, withoutNulls(v)]));
  }
  return value;
}

/** The canonical JSON of a statement's content: what its content hash is computed over. */
export function statementContentJson(statement: StatementContentSource): string {
  const { number, cutoff, drawnUpOn, final, lines, corrections, total, previousCumulativeTotal, cumulativeTotal } = statement;
  return canonicalJson(withoutNulls({ number, cutoff, drawnUpOn, final, lines, corrections, total, previousCumulativeTotal, cumulativeTotal }));
}

/**
 * The statement's content hash (D2: a signature covers exactly what was drawn up): SHA-256, in
 * lower-case hex, of the canonical JSON of its content. The same from the stored event as from
 * the read models, so a signature event and the PDF print the same value.
 */
export function statementContentHash(statement: StatementContentSource): string {
  return createHash('sha256').update(statementContentJson(statement)).digest('hex');
}
