import { WrongExpectedRevisionError, type ExpectedRevision } from '../event-store.port';

export type ActualRevision = number | 'no_stream';

export function assertExpectedRevision(streamId: string, expected: ExpectedRevision, actual: ActualRevision): void {
  const satisfied =
    expected === 'any' ||
    (expected === 'no_stream' && actual === 'no_stream') ||
    (expected === 'stream_exists' && actual !== 'no_stream') ||
    expected === actual;
  if (!satisfied) throw new WrongExpectedRevisionError(streamId, expected, actual);
}

/** Where a batch appended with `expected` began; undefined when it could have begun anywhere. */
export function firstRevisionImpliedBy(expected: ExpectedRevision): number | undefined {
  if (expected === 'no_stream') return 0;
  if (typeof expected === 'number') return expected + 1;
  return undefined;
}
