import { inList } from './in-list';

describe('inList', () => {
  it('pads a list to the next power of two with its last value, keeping its values and order', () => {
    expect(inList([])).toEqual([]);
    expect(inList(['a'])).toEqual(['a']);
    expect(inList(['a', 'b', 'c'])).toEqual(['a', 'b', 'c', 'c']);
    expect(inList(['a', 'b', 'c', 'd'])).toEqual(['a', 'b', 'c', 'd']);
    expect(inList(['a', 'b', 'c', 'd', 'e'])).toEqual(['a', 'b', 'c', 'd', 'e', 'e', 'e', 'e']);
  });

  it('gives at most 10 list lengths for every length up to 500', () => {
    const lengths = new Set(Array.from({ length: 500 }, (_, index) => inList(Array.from({ length: index + 1 }, (__, value) => value)).length));
    expect([...lengths]).toEqual([1, 2, 4, 8, 16, 32, 64, 128, 256, 512]);
  });
});
