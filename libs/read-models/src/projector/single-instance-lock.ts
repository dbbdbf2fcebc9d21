import BetterSqlite3 from 'better-sqlite3';
import { Client } from 'pg';
import type { ReadModelsConfig } from '../database/create-read-model-db';

export class ProjectorAlreadyRunningError extends Error {
  constructor(where: string) {
    super(`another projector already holds the read-models lock (${where}); stop it first`);
    this.name = 'ProjectorAlreadyRunningError';
  }
}

export interface SingleInstanceLock {
  release(): Promise<void>;
}

/** Session advisory lock key: any fixed 64-bit number, the same in every process. */
export const PROJECTOR_ADVISORY_LOCK_KEY = 4_837_201_926;

export const sqliteLockFileOf = (readModelsFile: string) => `${readModelsFile}.projector-lock`;

/**
 * At most one process writes the read models. Both locks belong to the holder's connection or
 * process, so a crashed (even kill -9) holder releases them without any cleanup:
 * - PostgreSQL: a session advisory lock (pg_try_advisory_lock) on a dedicated connection.
 * - SQLite: an exclusive SQLite lock held on a sidecar file next to the read-models file.
 * Refuses at once rather than queueing: a second projector is a deployment mistake.
 */
export async function acquireSingleInstanceLock(
  config: ReadModelsConfig,
  /** Called if the lock is lost while held (the PostgreSQL session died): stop projecting. */
  onLost: (error: Error) => void = (error) => console.error(`projector lock lost: ${error.message}`),
): Promise<SingleInstanceLock> {
  if (config.kind === 'postgres') {
    const client = new Client({ connectionString: config.url });
    client.on('error', onLost);
    await client.connect();
    const result = await client.query<{ locked: boolean }>('select pg_try_advisory_lock($1) as locked', [PROJECTOR_ADVISORY_LOCK_KEY]);
    if (!result.rows[0]?.locked) {
      await client.end();
      throw new ProjectorAlreadyRunningError('PostgreSQL advisory lock');
    }
    return {
      release: async () => {
        await client.query('select pg_advisory_unlock($1)', [PROJECTOR_ADVISORY_LOCK_KEY]).catch(() => undefined);
        await client.end();
      },
    };
  }
  if (config.file === ':memory:') return { release: async () => undefined };

  const lockFile = sqliteLockFileOf(config.file);
  const database = new BetterSqlite3(lockFile, { timeout: 0 });
  try {
    // locking_mode EXCLUSIVE keeps the write lock taken by the first write until the connection closes.
    database.pragma('locking_mode = EXCLUSIVE');
    database.exec('create table if not exists holder (pid integer not null, since text not null)');
    database.prepare('delete from holder').run();
    database.prepare('insert into holder (pid, since) values (?, ?)').run(process.pid, new Date().toISOString());
  } catch (error) {
    database.close();
    if ((error as { code?: string }).code?.startsWith('SQLITE_BUSY')) throw new ProjectorAlreadyRunningError(lockFile);
    throw error;
  }
  return { release: async () => { database.close(); } };
}
