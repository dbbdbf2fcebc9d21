import type { RecordedEvent } from '../event-store.port';
import type { BrokenLink } from './check-stream-chain';
import { contentHashOf } from './event-hash';

/**
 * A statement's signature covers exactly what was signed: the signature event's metadata carries
 * `statementContentHash`, the hash of the statement as drawn up (the StatementDrawnUp event's
 * data as stored). The store does not import the domain, so the two event types are named here
 * (libs/domain/src/events.ts defines them).
 */
const STATEMENT_DRAWN_UP = 'StatementDrawnUp';
const STATEMENT_SIGNED = 'StatementSigned';

interface StoredFact {
  type: string;
  data: Record<string, unknown>;
}

/** The hash of the statement `signature` signs, found among the events before it; undefined for another event. */
export function statementSealFor(signature: StoredFact, before: StoredFact[]): string | undefined {
  if (signature.type !== STATEMENT_SIGNED) return undefined;
  const statement = drawnUp(before, signature.data.number);
  return statement ? contentHashOf(statement.data) : undefined;
}

export interface StatementSealsCheck {
  /** Signatures recorded before seals existed (no statementContentHash). */
  unsealed: number;
  broken?: BrokenLink;
}

/** Checks that each statement signature's hash is the hash of the statement it signs, as stored now. */
export function checkStatementSeals(stream: RecordedEvent[]): StatementSealsCheck {
  let unsealed = 0;
  for (const [index, signature] of stream.entries()) {
    if (signature.type !== STATEMENT_SIGNED) continue;
    const sealed = signature.metadata.statementContentHash;
    if (sealed === undefined) {
      unsealed++;
      continue;
    }
    const statement = drawnUp(stream.slice(0, index), signature.data.number);
    const at = statement ?? signature;
    if (!statement || contentHashOf(statement.data) !== sealed) {
      return {
        unsealed,
        broken: {
          kind: statement ? 'changed' : 'removed',
          streamId: at.streamId,
          revision: at.revision,
          position: at.position,
          detail: statement
            ? `statement ${String(signature.data.number)} no longer matches the content hash its signature (revision ${signature.revision}) covers`
            : `the statement ${String(signature.data.number)} that revision ${signature.revision} signs is not in the stream before it`,
        },
      };
    }
  }
  return { unsealed };
}

function drawnUp<Fact extends StoredFact>(events: Fact[], number: unknown): Fact | undefined {
  return [...events].reverse().find((event) => event.type === STATEMENT_DRAWN_UP && event.data.number === number);
}
