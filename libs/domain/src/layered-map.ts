/**
 * A read-only map that shares most of itself with the map it was copied from: a base, never
 * changed once built, plus this version's own changes. Copying one (to change the copy) costs
 * its changes, not its size, and once the changes outgrow the square root of the base they are
 * merged into a new base, so a long run of copies costs about √n each instead of n. It reads as
 * a Map does: entries in insertion order (a changed key keeps its place, a new one comes last).
 * The state's expenses are one (evolve.ts), so that folding one more fact into a long history
 * does not copy every expense.
 */
export class LayeredMap<K, V> implements ReadonlyMap<K, V> {
  readonly #base: ReadonlyMap<K, V>;
  readonly #changes: Map<K, V>;
  /** Keys of #changes that #base does not have. */
  #added: number;

  private constructor(base: ReadonlyMap<K, V>, changes: Map<K, V>, added: number) {
    this.#base = base;
    this.#changes = changes;
    this.#added = added;
  }

  /** A copy of `map` to change with set() before anyone else reads it. */
  static copyToChange<K, V>(map: ReadonlyMap<K, V>): LayeredMap<K, V> {
    if (!(map instanceof LayeredMap)) return new LayeredMap(map, new Map(), 0);
    const source = map as LayeredMap<K, V>;
    if (source.#changes.size <= Math.max(32, Math.sqrt(source.#base.size))) {
      return new LayeredMap(source.#base, new Map(source.#changes), source.#added);
    }
    return new LayeredMap(new Map(source), new Map(), 0);
  }

  get size(): number {
    return this.#base.size + this.#added;
  }

  get(key: K): V | undefined {
    return this.#changes.has(key) ? this.#changes.get(key) : this.#base.get(key);
  }

  has(key: K): boolean {
    return this.#changes.has(key) || this.#base.has(key);
  }

  /** Only on a copy from copyToChange that nobody reads yet. */
  set(key: K, value: V): this {
    if (!this.#changes.has(key) && !this.#base.has(key)) this.#added++;
    this.#changes.set(key, value);
    return this;
  }

  *entries(): MapIterator<[K, V]> {
    for (const [key, value] of this.#base) yield [key, this.#changes.has(key) ? this.#changes.get(key)! : value];
    for (const entry of this.#changes) if (!this.#base.has(entry[0])) yield entry;
  }

  *keys(): MapIterator<K> {
    for (const [key] of this.entries()) yield key;
  }

  *values(): MapIterator<V> {
    for (const [, value] of this.entries()) yield value;
  }

  [Symbol.iterator](): MapIterator<[K, V]> {
    return this.entries();
  }

  forEach(callback: (value: V, key: K, map: ReadonlyMap<K, V>) => void, thisArg?: unknown): void {
    for (const [key, value] of this.entries()) callback.call(thisArg, value, key, this);
  }

  /** As a Map's entries (JSON has no maps). */
  toJSON(): [K, V][] {
    return [...this.entries()];
  }
}
