import type { Kysely } from 'kysely';
import type { ReadModelTables } from '../database/read-model-tables';

/**
 * One `T` per read-model database (per Kysely instance, with its plugins), made on first use and
 * dropped with the instance: what the projector keeps between batches of one database.
 */
export function perDatabase<T>(create: () => T): (db: Kysely<ReadModelTables>) => T {
  const values = new WeakMap<Kysely<ReadModelTables>, T>();
  return (db) => {
    if (!values.has(db)) values.set(db, create());
    return values.get(db)!;
  };
}
