import { knownPrefix, parseKnownAt } from './known-at';

describe('?knownAt= (parseKnownAt)', () => {
  it.each([
    ['0', { position: 0 }],
    ['42', { position: 42 }],
    ['2021-01-15T09:30:00Z', { recordedBy: '2021-01-15T09:30:00Z' }],
    ['2021-01-15T09:30Z', { recordedBy: '2021-01-15T09:30Z' }],
    ['2021-01-15T10:30:00.123456+01:00', { recordedBy: '2021-01-15T10:30:00.123456+01:00' }],
    ['2024-02-29T23:59:59-05:30', { recordedBy: '2024-02-29T23:59:59-05:30' }],
  ])('%s is %j', (text, knownAt) => {
    expect(parseKnownAt(text)).toEqual(knownAt);
  });

  it.each([
    '', '-1', '+1', '01', '1e3', '0x10', '1.0', ' 1', '12345678901234567', 'now',
    '2021-01-15', '2021-01-15T09:30:00', '2021-02-30T00:00:00Z', '2021-01-15T24:00:00Z', '2021-01-15T09:60:00Z',
    '2021-01-15T09:30:61Z', '2021-01-15T09:30:00+24:00', '2021-01-15 09:30:00Z', '2021-1-15T09:30:00Z', '2021-01-15T09:30:00.Z',
  ])('%j is refused', (text) => {
    expect(parseKnownAt(text)).toBeUndefined();
  });
});

describe('knownPrefix', () => {
  const at = (position: number, minute: number) => ({ position, recordedAt: `2024-03-01T08:${String(minute).padStart(2, '0')}:00.000Z` });

  it('cuts at a position', () => {
    expect(knownPrefix([at(1, 1), at(4, 2), at(9, 3)], { position: 4 })).toEqual([at(1, 1), at(4, 2)]);
  });

  it('cuts at an instant, offsets included', () => {
    expect(knownPrefix([at(1, 1), at(4, 2), at(9, 3)], { recordedBy: '2024-03-01T09:02:30+01:00' })).toEqual([at(1, 1), at(4, 2)]);
  });

  it('keeps a prefix when a clock stepped back: nothing after the first event recorded later than the instant', () => {
    expect(knownPrefix([at(1, 1), at(4, 5), at(9, 2)], { recordedBy: '2024-03-01T08:03:00Z' })).toEqual([at(1, 1)]);
  });
});
