import { feedStartOf, wantsEventStream } from './event-stream';

describe('where a live feed starts', () => {
  it('after Last-Event-ID (exclusive), else at ?fromPosition= (inclusive), else at the start', () => {
    expect(feedStartOf('41', undefined)).toBe(41);
    expect(feedStartOf('41', 7)).toBe(41);
    expect(feedStartOf(undefined, 7)).toBe(6);
    expect(feedStartOf(undefined, 1)).toBe(0);
    expect(feedStartOf(undefined, 0)).toBe(0);
    expect(feedStartOf(undefined, undefined)).toBe(0);
    expect(feedStartOf('0', undefined)).toBe(0);
    expect(feedStartOf('', 7)).toBe(6);
  });

  it.each(['x', '-1', '01', '1e3', '4.5', ' 4', '12345678901234567'])('refuses Last-Event-ID %j with 400 VALIDATION_FAILED', (lastEventId) => {
    expect(() => feedStartOf(lastEventId, undefined)).toThrow(expect.objectContaining({ statusCode: 400, code: 'VALIDATION_FAILED' }));
  });

  it('is asked for with Accept: text/event-stream, among other types too', () => {
    expect(wantsEventStream('text/event-stream')).toBe(true);
    expect(wantsEventStream('application/json, Text/Event-Stream;q=0.9')).toBe(true);
    expect(wantsEventStream('application/x-ndjson')).toBe(false);
    expect(wantsEventStream(undefined)).toBe(false);
  });
});
