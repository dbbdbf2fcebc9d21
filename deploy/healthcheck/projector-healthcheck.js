#!/usr/bin/env node
'use strict';
// Container health check of the projector, which has no HTTP port: healthy when a PostgreSQL
// session opened from this container holds the projector's single-instance advisory lock
// (PROJECTOR_ADVISORY_LOCK_KEY, taken with pg_try_advisory_lock by acquireSingleInstanceLock).
// "This container" = the session's client_addr is one of this container's addresses. So a
// projector that lost its lock, or a standby that could not take it, reports unhealthy.
// Runs from the built image: /app/deploy/healthcheck/ next to /app/dist and /app/node_modules.
const os = require('node:os');
const path = require('node:path');

const appRoot = path.resolve(__dirname, '..', '..');
const { loadConfig } = require(path.join(appRoot, 'dist/libs/config/src'));
const { PROJECTOR_ADVISORY_LOCK_KEY } = require(path.join(appRoot, 'dist/libs/read-models/src/projector/single-instance-lock'));
const { Client } = require('pg');

const normalise = (address) => String(address).replace(/^::ffff:/, '').replace(/\/\d+$/, '');

async function main() {
  const config = loadConfig();
  if (config.readModels.kind !== 'postgres') throw new Error('READ_MODELS_URL is not a postgres:// URL');
  const ownAddresses = new Set(Object.values(os.networkInterfaces()).flat().filter(Boolean).map((i) => normalise(i.address)));
  const client = new Client({ connectionString: config.readModels.url, connectionTimeoutMillis: 3000, statement_timeout: 3000 });
  await client.connect();
  try {
    // A bigint advisory key shows in pg_locks as classid = high 32 bits, objid = low 32 bits, objsubid = 1.
    const { rows } = await client.query(
      `select host(a.client_addr) as addr
         from pg_locks l join pg_stat_activity a on a.pid = l.pid
        where l.locktype = 'advisory' and l.granted and l.objsubid = 1
          and l.classid::bigint = ($1::bigint >> 32) and l.objid::bigint = ($1::bigint & 4294967295)`,
      [String(PROJECTOR_ADVISORY_LOCK_KEY)],
    );
    const holders = rows.map((r) => normalise(r.addr));
    if (!holders.some((a) => ownAddresses.has(a))) {
      throw new Error(holders.length ? `the projector lock is held from ${holders.join(', ')}, not from this container` : 'no projector holds the lock');
    }
  } finally {
    await client.end().catch(() => undefined);
  }
}

main().then(
  () => process.exit(0),
  (error) => {
    console.error(`projector unhealthy: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  },
);
