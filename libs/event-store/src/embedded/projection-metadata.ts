import type { ProjectableEvent } from '../event-store.port';

export type ProjectionMetadata = ProjectableEvent['metadata'];

const RECORDED_AT_KEY = '"recordedAt":"';
const SCHEMA_VERSION_KEY = '"schemaVersion":';

/**
 * The schema version and recordedAt of an event's metadata as stored (its JSON text), without
 * decoding the rest: the actor, the request's ids and the hash chain are most of its bytes, and
 * decoding them was the larger part of reading the log (docs/performance.md, "Reading what a
 * projection reads").
 *
 * Why finding the keys as text is exact: in JSON, `"recordedAt":"` can only be a key followed by
 * a string (inside a string value its quotes would be escaped), and `"schemaVersion":` only a key.
 * Each is taken when it occurs exactly once and its value is plain (a string without escapes, an
 * unsigned integer); then it is the metadata's own field, which every event has (EventMetadata).
 * Anything else (a key twice, as when a nested object has one too; an escape; a space; a key
 * missing, as on events older than schema versions) decodes the whole text, as readAll does.
 */
export function projectionMetadataOf(text: string): ProjectionMetadata {
  const recordedAt = soleStringValue(text, RECORDED_AT_KEY);
  const schemaVersion = recordedAt === undefined ? undefined : soleIntegerValue(text, SCHEMA_VERSION_KEY);
  if (recordedAt === undefined || schemaVersion === undefined) {
    const decoded = JSON.parse(text) as Partial<ProjectionMetadata>;
    return { schemaVersion: decoded.schemaVersion as number, recordedAt: decoded.recordedAt as string };
  }
  return { schemaVersion, recordedAt };
}

/**
 * The index just after `key` when it occurs exactly once in `text`. Searched backwards: on texts
 * this short V8's lastIndexOf is several times faster than indexOf, which prepares a search table
 * on every call.
 */
function afterSoleKey(text: string, key: string): number | undefined {
  const at = text.lastIndexOf(key);
  if (at < 0 || (at > 0 && text.lastIndexOf(key, at - 1) >= 0)) return undefined;
  return at + key.length;
}

function soleStringValue(text: string, key: string): string | undefined {
  const start = afterSoleKey(text, key);
  if (start === undefined) return undefined;
  const end = text.indexOf('"', start);
  if (end < 0) return undefined;
  const value = text.slice(start, end);
  return value.includes('\\') ? undefined : value;
}

function soleIntegerValue(text: string, key: string): number | undefined {
  const start = afterSoleKey(text, key);
  if (start === undefined) return undefined;
  let end = start;
  while (end < text.length && text.charCodeAt(end) >= 48 && text.charCodeAt(end) <= 57) end++;
  const next = text[end];
  if (end === start || end - start > 15 || (next !== ',' && next !== '}')) return undefined;
  return Number(text.slice(start, end));
}
