import { LruCache } from './lru-cache';

describe('LruCache', () => {
  it('forgets the least recently used entry past its count; a read makes an entry recent', () => {
    const cache = new LruCache<string, number>(2, Infinity);
    cache.set('a', 1);
    cache.set('b', 2);
    expect(cache.get('a')).toBe(1);
    cache.set('c', 3);
    expect([cache.get('a'), cache.get('b'), cache.get('c'), cache.size]).toEqual([1, undefined, 3, 2]);
  });

  it('forgets the least recently used entries past its weight, re-weighs an entry set again, and keeps nothing heavier than the budget', () => {
    const cache = new LruCache<string, string>(10, 10);
    cache.set('a', 'a', 4);
    cache.set('b', 'b', 4);
    cache.set('a', 'a grown', 6);
    expect([cache.get('a'), cache.get('b'), cache.weight]).toEqual(['a grown', 'b', 10]);
    cache.set('c', 'c', 1);
    expect([cache.get('a'), cache.get('b'), cache.get('c'), cache.weight]).toEqual([undefined, 'b', 'c', 5]);
    cache.set('huge', 'huge', 11);
    expect([cache.get('huge'), cache.get('b'), cache.weight]).toEqual([undefined, 'b', 5]);
    cache.delete('b');
    expect([cache.get('b'), cache.weight, cache.size]).toEqual([undefined, 1, 1]);
  });

  it('bounds of 0 keep nothing', () => {
    const cache = new LruCache<string, number>(0, 0);
    cache.set('a', 1);
    expect([cache.get('a'), cache.size]).toEqual([undefined, 0]);
  });
});
