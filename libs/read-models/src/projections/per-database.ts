import type { Kysely } from 'kysely';
import type { ReadModelTables } from '../database/read-model-tables';

type ReadModelKysely = Kysely<ReadModelTables>;

/** Instances made over one connection of another (a held transaction) to the instance they stand for. */
const standsFor = new WeakMap<ReadModelKysely, ReadModelKysely>();

/**
 * `view` works on the same tables as `origin`, with the same plugins (an instance over one of its
 * connections, inside a transaction): what is kept per database is shared between them. Without
 * this, every write-locked batch (projector/write-locked-transaction.ts) would start from an
 * empty cache, and read back every convention state it touches.
 */
export function sameDatabaseAs(view: ReadModelKysely, origin: ReadModelKysely): void {
  standsFor.set(view, standsFor.get(origin) ?? origin);
}

/**
 * One `T` per read-model database (per Kysely instance with its plugins, or the instance it
 * stands for: sameDatabaseAs), made on first use and dropped with the instance: what the
 * projector keeps between batches of one database.
 */
export function perDatabase<T>(create: () => T): (db: ReadModelKysely) => T {
  const values = new WeakMap<ReadModelKysely, T>();
  return (db) => {
    const key = standsFor.get(db) ?? db;
    if (!values.has(key)) values.set(key, create());
    return values.get(key)!;
  };
}
