import { LayeredMap } from './layered-map';

describe('LayeredMap', () => {
  it('reads as a Map changed the same way, through copies, merges and all, and a copy never changes what it was copied from', () => {
    let random = 7;
    const next = (n: number) => (random = (random * 1103515245 + 12345) % 2147483648) % n;
    let map: ReadonlyMap<string, number> = new Map<string, number>();
    let expected = new Map<string, number>();
    const history: [ReadonlyMap<string, number>, [string, number][]][] = [];
    for (let version = 0; version < 300; version++) {
      const copy = LayeredMap.copyToChange(map);
      expected = new Map(expected);
      for (let i = next(4); i >= 0; i--) {
        const key = `k${next(120)}`;
        copy.set(key, version);
        expected.set(key, version);
      }
      history.push([copy, [...expected]]);
      map = copy;
    }
    for (const [version, entries] of history) {
      expect([...version.entries()]).toEqual(entries);
      expect([version.size, [...version.keys()], [...version.values()]]).toEqual([entries.length, entries.map(([k]) => k), entries.map(([, v]) => v)]);
      expect(entries.every(([k, v]) => version.has(k) && version.get(k) === v)).toBe(true);
      expect([version.has('absent'), version.get('absent')]).toEqual([false, undefined]);
      expect(JSON.stringify(version)).toBe(JSON.stringify(entries));
    }
  });
});
