import BetterSqlite3 from 'better-sqlite3';
import { Client } from 'pg';
import type { ReadModelsConfig } from '../database/create-read-model-db';

export class ProjectorAlreadyRunningError extends Error {
  constructor(where: string) {
    super(`another projector already holds the read-models lock (${where}); stop it first`);
    this.name = 'ProjectorAlreadyRunningError';
  }
}

export class RebuildAlreadyRunningError extends Error {
  constructor(where: string) {
    super(`another projections:rebuild is running (${where}); wait for it to end`);
    this.name = 'RebuildAlreadyRunningError';
  }
}

export interface SingleInstanceLock {
  release(): Promise<void>;
}

/** Session advisory lock key: any fixed 64-bit number, the same in every process. */
export const PROJECTOR_ADVISORY_LOCK_KEY = 4_837_201_926;

/** The rebuild's own lock: one rebuild at a time, beside the live projector (shadow-rebuild.ts). */
export const REBUILD_ADVISORY_LOCK_KEY = 4_837_201_928;

export const sqliteLockFileOf = (readModelsFile: string) => `${readModelsFile}.projector-lock`;
export const sqliteRebuildLockFileOf = (readModelsFile: string) => `${readModelsFile}.rebuild-lock`;

interface ProcessLock {
  advisoryKey: number;
  lockFileOf: (readModelsFile: string) => string;
  alreadyHeld: (where: string) => Error;
}

const PROJECTOR_LOCK: ProcessLock = {
  advisoryKey: PROJECTOR_ADVISORY_LOCK_KEY, lockFileOf: sqliteLockFileOf, alreadyHeld: (where) => new ProjectorAlreadyRunningError(where),
};
const REBUILD_LOCK: ProcessLock = {
  advisoryKey: REBUILD_ADVISORY_LOCK_KEY, lockFileOf: sqliteRebuildLockFileOf, alreadyHeld: (where) => new RebuildAlreadyRunningError(where),
};

/**
 * At most one process writes the read models. Both locks belong to the holder's connection or
 * process, so a crashed (even kill -9) holder releases them without any cleanup:
 * - PostgreSQL: a session advisory lock (pg_try_advisory_lock) on a dedicated connection.
 * - SQLite: an exclusive SQLite lock held on a sidecar file next to the read-models file.
 * Refuses at once rather than queueing: a second projector is a deployment mistake.
 */
export function acquireSingleInstanceLock(
  config: ReadModelsConfig,
  /** Called if the lock is lost while held (the PostgreSQL session died): stop projecting. */
  onLost: (error: Error) => void = (error) => console.error(`projector lock lost: ${error.message}`),
): Promise<SingleInstanceLock> {
  return acquireProcessLock(PROJECTOR_LOCK, config, onLost);
}

/**
 * One `projections:rebuild` at a time, the same way (RebuildAlreadyRunningError otherwise). A
 * separate lock from the projector's: a rebuild runs while the live projector projects.
 */
export function acquireRebuildLock(
  config: ReadModelsConfig,
  onLost: (error: Error) => void = (error) => console.error(`rebuild lock lost: ${error.message}`),
): Promise<SingleInstanceLock> {
  return acquireProcessLock(REBUILD_LOCK, config, onLost);
}

async function acquireProcessLock(lock: ProcessLock, config: ReadModelsConfig, onLost: (error: Error) => void): Promise<SingleInstanceLock> {
  if (config.kind === 'postgres') {
    const client = new Client({ connectionString: config.url });
    client.on('error', onLost);
    await client.connect();
    const result = await client.query<{ locked: boolean }>('select pg_try_advisory_lock($1) as locked', [lock.advisoryKey]);
    if (!result.rows[0]?.locked) {
      await client.end();
      throw lock.alreadyHeld('PostgreSQL advisory lock');
    }
    return {
      release: async () => {
        await client.query('select pg_advisory_unlock($1)', [lock.advisoryKey]).catch(() => undefined);
        await client.end();
      },
    };
  }
  if (config.file === ':memory:') return { release: async () => undefined };

  const lockFile = lock.lockFileOf(config.file);
  const database = new BetterSqlite3(lockFile, { timeout: 0 });
  try {
    // locking_mode EXCLUSIVE keeps the write lock taken by the first write until the connection closes.
    database.pragma('locking_mode = EXCLUSIVE');
    database.exec('create table if not exists holder (pid integer not null, since text not null)');
    database.prepare('delete from holder').run();
    database.prepare('insert into holder (pid, since) values (?, ?)').run(process.pid, new Date().toISOString());
  } catch (error) {
    database.close();
    if ((error as { code?: string }).code?.startsWith('SQLITE_BUSY')) throw lock.alreadyHeld(lockFile);
    throw error;
  }
  return { release: async () => { database.close(); } };
}
