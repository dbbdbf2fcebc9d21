import { WrongExpectedVersionError } from '@eventstore/db-client';
import { WrongExpectedRevisionError } from '../event-store.port';
import { toClientExpectedRevision, toPortConflict, toSafeNumber } from './expected-revision';

describe('expected revision mapping', () => {
  it('maps each port expectation one to one', () => {
    expect(toClientExpectedRevision('any')).toBe('any');
    expect(toClientExpectedRevision('no_stream')).toBe('no_stream');
    expect(toClientExpectedRevision('stream_exists')).toBe('stream_exists');
    expect(toClientExpectedRevision(7)).toBe(7n);
  });

  it('turns the client conflict into the port conflict, keeping the actual revision', () => {
    const existing = new WrongExpectedVersionError(undefined, { streamName: 's', expected: 1n, current: 4n });
    const missing = new WrongExpectedVersionError(undefined, { streamName: 's', expected: 'stream_exists', current: 'no_stream' });

    expect(toPortConflict('s', 1, existing)).toEqual(new WrongExpectedRevisionError('s', 1, 4));
    expect(toPortConflict('s', 'stream_exists', missing)).toMatchObject({ actual: 'no_stream', expected: 'stream_exists' });
  });

  it('refuses a position beyond the safe integers instead of rounding it', () => {
    expect(toSafeNumber(2n ** 53n - 1n, 'position')).toBe(Number.MAX_SAFE_INTEGER);
    expect(() => toSafeNumber(2n ** 64n - 1n, 'position')).toThrow(RangeError);
  });
});
