import { ANY, NO_STREAM, STREAM_EXISTS, type AppendExpectedRevision, type WrongExpectedVersionError } from '@eventstore/db-client';
import { WrongExpectedRevisionError, type ExpectedRevision } from '../event-store.port';

export function toClientExpectedRevision(expected: ExpectedRevision): AppendExpectedRevision {
  switch (expected) {
    case 'any':
      return ANY;
    case 'no_stream':
      return NO_STREAM;
    case 'stream_exists':
      return STREAM_EXISTS;
    default:
      return BigInt(expected);
  }
}

/** The client reports the stream's actual revision; the caller's expectation is what it asked for. */
export function toPortConflict(streamId: string, expected: ExpectedRevision, error: WrongExpectedVersionError): WrongExpectedRevisionError {
  const actual = error.actualVersion;
  return new WrongExpectedRevisionError(streamId, expected, typeof actual === 'bigint' ? toSafeNumber(actual, 'revision') : 'no_stream');
}

/** Positions are byte offsets in the log: they fit a double for the first 8 PiB, beyond that we refuse to guess. */
export function toSafeNumber(value: bigint, what: string): number {
  const number = Number(value);
  if (!Number.isSafeInteger(number)) throw new RangeError(`EventStoreDB ${what} ${value} is not a safe integer`);
  return number;
}
