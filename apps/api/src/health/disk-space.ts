import { statfs } from 'node:fs/promises';
import type { AppConfig } from '@cl/config';

export interface DiskSpace {
  path: string;
  freeBytes: number;
  minimumBytes: number;
}

/**
 * The directory whose file system must keep free space: DATA_DIR, when something of this process
 * lives there (the embedded store or SQLite read models); undefined when both are remote
 * (EventStoreDB and PostgreSQL), since the API then writes nothing on its own disk.
 */
export function localDataDirOf(config: Pick<AppConfig, 'dataDir' | 'eventStore' | 'readModels'>): string | undefined {
  return config.eventStore.kind === 'embedded' || config.readModels.kind === 'sqlite' ? config.dataDir : undefined;
}

/** Free space available to this (unprivileged) process on the file system holding `path`. */
export async function diskSpaceOf(path: string, minimumBytes: number): Promise<DiskSpace> {
  const stats = await statfs(path);
  return { path, freeBytes: Number(stats.bavail) * Number(stats.bsize), minimumBytes };
}
