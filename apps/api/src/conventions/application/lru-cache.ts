/**
 * A map bounded in entries and in total weight (what the entries cost, in the caller's unit):
 * when either bound is passed it forgets the entries used least recently (a Map keeps insertion
 * order, and a read moves its entry to the end). An entry heavier than the whole budget is not
 * kept at all (nor does it push others out). Bounds of 0 keep nothing.
 */
export class LruCache<K, V> {
  private readonly entries = new Map<K, { value: V; weight: number }>();
  private totalWeight = 0;

  constructor(readonly maxEntries: number, readonly maxWeight: number) {
    for (const [name, bound] of Object.entries({ maxEntries, maxWeight })) {
      if (!(bound >= 0)) throw new RangeError(`${name} must be 0 or more, got ${bound}`);
    }
  }

  get size(): number {
    return this.entries.size;
  }

  get weight(): number {
    return this.totalWeight;
  }

  get(key: K): V | undefined {
    const entry = this.entries.get(key);
    if (entry === undefined) return undefined;
    this.entries.delete(key);
    this.entries.set(key, entry);
    return entry.value;
  }

  /** Keeps the value (again, when its weight changed) as the most recently used. */
  set(key: K, value: V, weight = 1): void {
    this.delete(key);
    if (weight > this.maxWeight || this.maxEntries === 0) return;
    this.entries.set(key, { value, weight });
    this.totalWeight += weight;
    for (const [oldest, entry] of this.entries) {
      if (this.entries.size <= this.maxEntries && this.totalWeight <= this.maxWeight) break;
      this.entries.delete(oldest);
      this.totalWeight -= entry.weight;
    }
  }

  delete(key: K): void {
    const entry = this.entries.get(key);
    if (entry === undefined) return;
    this.entries.delete(key);
    this.totalWeight -= entry.weight;
  }
}
