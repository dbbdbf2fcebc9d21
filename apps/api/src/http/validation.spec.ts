import { nullFields } from './validation';

describe('null in request bodies', () => {
  it('names every null by its dotted path, nested objects and lists included', () => {
    expect(nullFields({ a: 1, b: null, c: { d: null, e: [1, null, { f: null }] } })).toEqual(['b', 'c.d', 'c.e.1', 'c.e.2.f']);
  });

  it('finds nothing in a body without null', () => {
    expect(nullFields({ a: '', b: 0, c: false, d: [], e: {} })).toEqual([]);
    expect(nullFields(undefined)).toEqual([]);
  });
});
