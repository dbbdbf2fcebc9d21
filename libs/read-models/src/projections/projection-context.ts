import type { Transaction } from 'kysely';
import type { ConventionEvent, ConventionEventType } from '@cl/domain';
import type { RecordedEvent } from '@cl/event-store';
import type { ReadModelTables } from '../database/read-model-tables';

export type ReadModelTx = Transaction<ReadModelTables>;

/** What every handler gets: the write transaction, the convention, the typed payload, the record. */
export interface Projected<Type extends ConventionEventType> {
  tx: ReadModelTx;
  conventionId: string;
  data: Extract<ConventionEvent, { type: Type }>['data'];
  recorded: RecordedEvent;
}

export type ProjectionHandler<Type extends ConventionEventType> = (projected: Projected<Type>) => Promise<void>;

/** A handler for every event type: the compiler refuses a missing one. */
export type ProjectionHandlers = { [Type in ConventionEventType]: ProjectionHandler<Type> };
