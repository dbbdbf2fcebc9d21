import { Client } from 'pg';

export interface TemporaryDatabase {
  /** The database's URL: the admin URL with its name as path. */
  url: string;
  /** Drops it, closing whatever connections are still open on it. */
  drop(): Promise<void>;
}

async function onAdmin(adminUrl: string, sql: string): Promise<void> {
  const admin = new Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    await admin.query(sql);
  } finally {
    await admin.end();
  }
}

/** A new empty database named `name` on the server of `adminUrl` (the tests' and the bench's throw-away server). */
export async function createTemporaryDatabase(adminUrl: string, name: string): Promise<TemporaryDatabase> {
  await onAdmin(adminUrl, `create database "${name}"`);
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return { url: url.toString(), drop: () => onAdmin(adminUrl, `drop database if exists "${name}" with (force)`) };
}
