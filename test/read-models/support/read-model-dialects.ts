import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { createTemporaryDatabase } from '../../support/temporary-postgres-database';
import type { EventStore } from '@cl/event-store';
import { createReadModelDb, createReadModelSchema, ReadModelQueries, type ReadModelDb, type ReadModelsConfig } from '@cl/read-models';

export interface ReadModelTestDb {
  config: ReadModelsConfig;
  db: ReadModelDb;
  queries: ReadModelQueries;
  /** The same database as `config`, as a READ_MODELS_URL value (for child processes). */
  url: string;
  close(): Promise<void>;
}

export interface DialectHarness {
  dialect: 'sqlite' | 'postgres';
  /** A fresh, empty read-model database with its schema; `store`: where its queries read the histories. */
  open(store?: EventStore): Promise<ReadModelTestDb>;
}

let databaseCounter = 0;

/** A fresh SQLite read-model database in a temporary directory, its schema created. */
export async function openSqliteReadModels(store?: EventStore): Promise<ReadModelTestDb> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cl-read-models-'));
  const file = path.join(dir, 'read-models.sqlite');
  const config: ReadModelsConfig = { kind: 'sqlite', file };
  const db = createReadModelDb(config);
  await createReadModelSchema(db);
  return {
    config, db, queries: new ReadModelQueries(db, store), url: `sqlite:${file}`,
    async close() {
      await db.destroy();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** One database per test: suites run in parallel workers and each starts from nothing. */
async function openPostgres(adminUrl: string, store?: EventStore): Promise<ReadModelTestDb> {
  const database = await createTemporaryDatabase(adminUrl, `rm_test_${process.pid}_${++databaseCounter}_${Math.random().toString(36).slice(2, 8)}`);
  const config: ReadModelsConfig = { kind: 'postgres', url: database.url };
  const db = createReadModelDb(config);
  await createReadModelSchema(db);
  return {
    config, db, queries: new ReadModelQueries(db, store), url: database.url,
    async close() {
      await db.destroy();
      await database.drop();
    },
  };
}

const POSTGRES_MISSING =
  'PostgreSQL is required: these tests run on SQLite and on PostgreSQL, and are never skipped. Run them with ' +
  '`npm test`, or wrap Jest in scripts/with-postgres.sh (it starts a throw-away server from the installed binaries; ' +
  'Debian: apt-get install postgresql), e.g. `bash scripts/with-postgres.sh npx jest <files>`, or set ' +
  'TEST_POSTGRES_URL to a server whose databases the tests may create and drop.';

/** A fresh PostgreSQL read-model database; fails (never skips) when no server is configured. */
export function openPostgresReadModels(): Promise<ReadModelTestDb> {
  const adminUrl = process.env.TEST_POSTGRES_URL;
  if (!adminUrl) throw new Error(POSTGRES_MISSING);
  return openPostgres(adminUrl);
}

/**
 * Runs one suite on SQLite and on PostgreSQL. Without TEST_POSTGRES_URL the PostgreSQL variant
 * is a FAILING test: a skip would read as green.
 */
export function describeEachDialect(title: string, suite: (harness: DialectHarness) => void): void {
  describe(`${title} [sqlite]`, () => suite({ dialect: 'sqlite', open: openSqliteReadModels }));
  const adminUrl = process.env.TEST_POSTGRES_URL;
  if (adminUrl) {
    describe(`${title} [postgres]`, () => suite({ dialect: 'postgres', open: (store) => openPostgres(adminUrl, store) }));
  } else {
    describe(`${title} [postgres]`, () => {
      it('has a PostgreSQL server to run on', () => {
        throw new Error(POSTGRES_MISSING);
      });
    });
  }
}
