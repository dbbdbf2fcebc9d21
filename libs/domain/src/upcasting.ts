import { CONVENTION_EVENT_TYPES, CURRENT_SCHEMA_VERSION, type ConventionEvent, type ConventionEventType } from './events';

/** An event as stored: its type, the schema version it was written with, its JSON payload. */
export interface StoredEvent {
  type: string;
  schemaVersion?: number;
  data: Record<string, unknown>;
}

const KNOWN_TYPES = new Set<string>(CONVENTION_EVENT_TYPES);

export const isConventionEventType = (type: string): type is ConventionEventType => KNOWN_TYPES.has(type);

/**
 * Lifts a stored event to the current schema: the one place where old versions are read. Every
 * version is 1 so far; when a payload changes shape, its upcaster goes in UPCASTERS (keyed by
 * type and the version it upgrades from), and history is never rewritten.
 */
const UPCASTERS: Partial<Record<ConventionEventType, Record<number, (data: Record<string, unknown>) => Record<string, unknown>>>> = {};

export function upcast(stored: StoredEvent): ConventionEvent {
  if (!isConventionEventType(stored.type)) throw new Error(`unknown event type ${stored.type}`);
  let version = stored.schemaVersion ?? 1;
  if (version > CURRENT_SCHEMA_VERSION) throw new Error(`${stored.type} v${version} is newer than this version of the ledger understands`);
  let data = stored.data;
  while (version < CURRENT_SCHEMA_VERSION) {
    const step = UPCASTERS[stored.type]?.[version];
    if (!step) throw new Error(`no upcaster for ${stored.type} v${version}`);
    data = step(data);
    version += 1;
  }
  return { type: stored.type, schemaVersion: version, data } as ConventionEvent;
}
