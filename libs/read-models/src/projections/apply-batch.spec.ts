import type { RecordedEvent } from '@cl/event-store';
import { startingStreamsOf } from './apply-batch';

const recorded = (conventionId: string, revision: number, position: number) => ({
  conventionId,
  recorded: { streamId: `convention-${conventionId}`, revision, position } as RecordedEvent,
});

describe('startingStreamsOf: the conventions a batch may start from an empty state, unread', () => {
  it('takes a convention whose first event in the slice is its stream\'s first (revision 0)', () => {
    const slice = [recorded('a', 0, 1), recorded('b', 4, 2), recorded('a', 1, 3), recorded('c', 0, 4), recorded('c', 1, 5)];
    expect(startingStreamsOf(slice)).toEqual(new Set(['a', 'c']));
  });

  it('never takes a convention whose history began before the slice, whatever follows in it', () => {
    // Its first event here is revision 7: rows of it may be in the tables, so its state is read.
    expect(startingStreamsOf([recorded('b', 7, 10), recorded('b', 8, 11)])).toEqual(new Set());
    expect(startingStreamsOf([])).toEqual(new Set());
  });
});
