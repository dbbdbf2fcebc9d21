import { fold, type ConventionState } from '@cl/domain';
import type { AppendResult, NewEvent, RecordedEvent } from '@cl/event-store';
import { toDomainEvent } from './event-mapping';

/** Who recorded a fact under an Idempotency-Key, and for which request (its fingerprint, when recorded). */
export interface KeyUse {
  subject: string;
  organisation?: string;
  fingerprint?: string;
}

export const keyUseOf = (recorded: Pick<RecordedEvent, 'metadata'>): KeyUse => ({
  subject: recorded.metadata.actor.subject, organisation: recorded.metadata.actor.organisation, fingerprint: recorded.metadata.requestFingerprint,
});

/** A fact as stored (type and data), what a statement's seal is computed from (statementSealFor). */
export interface StoredFact {
  type: string;
  data: Record<string, unknown>;
}

/**
 * What a command needs to know of one convention stream, folded from its events as the store
 * returned them, in order, up to `revision`: the convention (the state decide() takes), who
 * recorded facts under which Idempotency-Key, and the statements as drawn up (for the seal of a
 * statement's signature). The executor keeps one per stream between commands and advances it
 * with the events read after `revision`, or with those it has just appended itself, so a
 * command costs the same on a long history as on a short one.
 *
 * `state` is immutable (fold never touches the state it starts from): a caller may keep it while
 * the stream advances.
 */
export class StreamState {
  /** Revision of the last event folded; -1 for a stream without events. */
  revision = -1;
  /** Id of that event: a later read must find it there again, or the stream is not the one folded. */
  lastEventId: string | undefined;
  /** Global position of that event; 0 for a stream without events. */
  position = 0;
  state: ConventionState = null;
  private readonly keyUses = new Map<string, KeyUse[]>();
  private readonly statements: StoredFact[] = [];

  static of(history: readonly RecordedEvent[]): StreamState {
    const stream = new StreamState();
    stream.advance(history);
    return stream;
  }

  /** Folds in the events read after `revision`, in order. */
  advance(events: readonly RecordedEvent[]): void {
    if (events.length === 0) return;
    this.foldIn(events, events[events.length - 1]);
  }

  /**
   * Folds in the events this process has just appended after `revision` (the append checked that
   * the stream was still at `revision`), as the store wrote them: their data through JSON, as a
   * read would return it. So the next command need not read them back. An append the store
   * took as a retry (the same ids already at that place, written by another process for the same
   * request) holds the same facts: the ids derive from the request's identity and the expected
   * revision, and what decide() records depends only on the command and the state (today only
   * refuses). False, and nothing folded, when the append did not end where these events would
   * (such a retry followed by others): then only a read tells what the stream holds.
   */
  appended(events: readonly NewEvent[], result: AppendResult): boolean {
    if (result.nextExpectedRevision !== this.revision + events.length) return false;
    const asStored = events.map((event) => ({ ...event, data: JSON.parse(JSON.stringify(event.data)) as Record<string, unknown> }));
    this.foldIn(asStored, { revision: result.nextExpectedRevision, id: events[events.length - 1].id, position: result.position });
    return true;
  }

  private foldIn(events: ReadonlyArray<Pick<RecordedEvent, 'type' | 'data' | 'metadata'>>, last: Pick<RecordedEvent, 'revision' | 'id' | 'position'>): void {
    this.state = fold(events.map(toDomainEvent), this.state);
    for (const recorded of events) {
      const key = recorded.metadata.idempotencyKey;
      if (key !== undefined) this.rememberKeyUse(key, keyUseOf(recorded));
      if (recorded.type === 'StatementDrawnUp') this.statements.push({ type: recorded.type, data: recorded.data });
    }
    this.revision = last.revision;
    this.lastEventId = last.id;
    this.position = last.position;
  }

  /** Every principal and request that recorded facts under this key (each once). */
  usesOf(idempotencyKey: string): readonly KeyUse[] {
    return this.keyUses.get(idempotencyKey) ?? [];
  }

  /** The StatementDrawnUp facts as stored, in order: all statementSealFor looks at among the facts before a signature. */
  get statementsDrawnUp(): readonly StoredFact[] {
    return this.statements;
  }

  private rememberKeyUse(key: string, use: KeyUse): void {
    const uses = this.keyUses.get(key);
    if (!uses) {
      this.keyUses.set(key, [use]);
      return;
    }
    const known = uses.some((u) => u.subject === use.subject && u.organisation === use.organisation && u.fingerprint === use.fingerprint);
    if (!known) uses.push(use);
  }
}
