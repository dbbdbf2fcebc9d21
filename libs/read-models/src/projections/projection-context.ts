import type { Transaction } from 'kysely';
import type { ConventionEvent, ConventionEventType } from '@cl/domain';
import type { ProjectableEvent } from '@cl/event-store';
import type { ReadModelTables } from '../database/read-model-tables';
import type { BatchWrites } from './batch-writes';
import type { ConventionState } from './convention-state';

export type ReadModelTx = Transaction<ReadModelTables>;

/**
 * What every handler gets: the convention's rows as they stand (in memory, before this event),
 * the batch's pending writes, the typed payload and the record. Handlers change the rows and say
 * which ones to write; nothing is written until the batch's writes are flushed (apply-batch.ts).
 */
export interface Projected<Type extends ConventionEventType> {
  state: ConventionState;
  writes: BatchWrites;
  conventionId: string;
  data: Extract<ConventionEvent, { type: Type }>['data'];
  recorded: ProjectableEvent;
}

export type ProjectionHandler<Type extends ConventionEventType> = (projected: Projected<Type>) => void;

/** A handler for every event type: the compiler refuses a missing one. */
export type ProjectionHandlers = { [Type in ConventionEventType]: ProjectionHandler<Type> };
