import { canonicalJson, contentHashOf } from '@cl/event-store';

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

const contentOf = ({ number, cutoff, drawnUpOn, final, lines, corrections, total, previousCumulativeTotal, cumulativeTotal }: StatementContentSource) =>
  withoutNulls({ number, cutoff, drawnUpOn, final, lines, corrections, total, previousCumulativeTotal, cumulativeTotal });

/** The canonical JSON of a statement's content: what its content hash is computed over. */
export const statementContentJson = (statement: StatementContentSource): string => canonicalJson(contentOf(statement));

/**
 * The statement's content hash (D2: a signature covers exactly what was drawn up): SHA-256, in
 * lower-case hex, of the canonical JSON of its content. The same from the stored event as from
 * the read models, and the hash the tamper-evidence chain seals each signature with
 * (`statementContentHash` in its metadata: libs/event-store/src/chain/statement-seals.ts), since
 * the event's data is exactly these fields and holds no null (a statement recorded as version 1
 * and signed later is sealed over its version-1 data: docs/audit.md).
 */
export const statementContentHash = (statement: StatementContentSource): string => contentHashOf(contentOf(statement));
