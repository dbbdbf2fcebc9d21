import { CONVENTION_EVENT_TYPES, SCHEMA_VERSIONS, type ConventionEvent, type ConventionEventType } from './events';
import { formatMoney, money } from './money';

/** An event as stored: its type, the schema version it was written with, its JSON payload. */
export interface StoredEvent {
  type: string;
  schemaVersion?: number;
  data: Record<string, unknown>;
}

type Data = Record<string, unknown>;
type Upcaster = (data: Data) => Data;

const KNOWN_TYPES = new Set<string>(CONVENTION_EVENT_TYPES);

export const isConventionEventType = (type: string): type is ConventionEventType => KNOWN_TYPES.has(type);

/** Parties recorded before v2 name no organisation (T1): they get '' (none). */
const withOrganisation = (party: unknown): Data => ({ organisation: '', ...(party as Data) });

/**
 * Upcasters keyed by type and the version they upgrade FROM. Each reads what that version
 * recorded and writes what the next one would have recorded, without inventing facts: where
 * an older version did not know something, the value says so ('' organisation, no corrections).
 */
const UPCASTERS: Partial<Record<ConventionEventType, Record<number, Upcaster>>> = {
  ConventionRegistered: {
    1: (data) => ({ ...data, funder: withOrganisation(data.funder), beneficiary: withOrganisation(data.beneficiary) }),
  },
  StatementDrawnUp: {
    // v1 recomputed the cumulative total at the cutoff and listed no corrections: the difference
    // with its new lines is what came before it, corrections included.
    1: (data) => ({
      ...data,
      drawnUpOn: data.cutoff,
      corrections: [],
      previousCumulativeTotal: formatMoney(money(data.cumulativeTotal as string).minus(money(data.total as string))),
    }),
  },
  ConventionClosed: {
    // v1 refused closure while due tranches were unpaid, and knew no participation apart from consumption.
    1: (data) => ({ ...data, participation: data.consumed, owedToBeneficiary: '0.00', lapsedTranches: [] }),
  },
  ConventionTerminated: {
    1: ({ on, dueParticipation, ...rest }) => ({
      ...rest, decidedOn: on, effectiveOn: on, decidedBy: 'funder', participation: dueParticipation, lapsedTranches: [], figuresFinal: true,
    }),
  },
};

/**
 * Lifts a stored event to the current schema of its type: the one place where old versions are
 * read, used by the command side and the projector alike. History is never rewritten.
 */
export function upcast(stored: StoredEvent): ConventionEvent {
  if (!isConventionEventType(stored.type)) throw new Error(`unknown event type ${stored.type}`);
  const current = SCHEMA_VERSIONS[stored.type];
  let version = stored.schemaVersion ?? 1;
  if (version > current) throw new Error(`${stored.type} v${version} is newer than this version of the ledger understands`);
  let data = stored.data;
  while (version < current) {
    const step = UPCASTERS[stored.type]?.[version];
    if (!step) throw new Error(`no upcaster for ${stored.type} v${version}`);
    data = step(data);
    version += 1;
  }
  return { type: stored.type, schemaVersion: version, data } as ConventionEvent;
}
