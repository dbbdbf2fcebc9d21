import { WrongExpectedRevisionError, type ExpectedRevision } from '../event-store.port';

/**
 * A batch reuses event ids that are already recorded but is not a retry of that append: only
 * some ids are known, in another order, or in another stream. Subclass of
 * WrongExpectedRevisionError (as EventStoreDB reports this case) so callers handle one error;
 * it says which id clashed.
 */
export class EventIdConflictError extends WrongExpectedRevisionError {
  constructor(
    streamId: string,
    expected: ExpectedRevision,
    actual: number | 'no_stream',
    readonly eventId: string,
    readonly recordedInStream: string,
  ) {
    super(streamId, expected, actual);
    this.name = 'EventIdConflictError';
    this.message =
      `stream ${streamId}: event ${eventId} is already recorded in stream ${recordedInStream}, ` +
      `and this batch is not an exact retry of that append (expected revision ${String(expected)}, actual ${String(actual)})`;
  }
}
