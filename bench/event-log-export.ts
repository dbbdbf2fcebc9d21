/**
 * The memory of `GET /events` on a big store (docs/audit.md, "Exports"): generates
 * BENCH_EXPORT_EVENTS events (default 1,000,000, about 1 kB each) in a temporary embedded store,
 * starts the API on it (no projector: only the export reads the store), streams the whole log
 * to a client that reads BENCH_EXPORT_CLIENT_KBPS kB/s (0, the default: as fast as it can), and
 * prints the process's resident memory (RSS) and heap before, during (the highest sample) and
 * after. Run: node -r ts-node/register/transpile-only -r tsconfig-paths/register bench/event-log-export.ts
 */
import 'reflect-metadata';
import * as fs from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { loadConfig } from '@cl/config';
import { SqliteEventStore, type NewEvent } from '@cl/event-store';
import { createApp } from '../apps/api/src/app.factory';

const EVENTS = Number(process.env.BENCH_EXPORT_EVENTS ?? 1_000_000);
const CLIENT_KBPS = Number(process.env.BENCH_EXPORT_CLIENT_KBPS ?? 0);
const TOKEN = 'bench-export-auditor-token-0123456789abcdef';
const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(0)} MB`;

async function generate(file: string): Promise<void> {
  const store = new SqliteEventStore(file);
  const padding = 'p'.repeat(900);
  for (let first = 0; first < EVENTS; first += 1000) {
    const events: NewEvent[] = Array.from({ length: Math.min(1000, EVENTS - first) }, (_, index) => ({
      id: `00000000-0000-4000-8000-${String(first + index).padStart(12, '0')}`,
      type: 'LoadGenerated',
      data: { index: first + index, padding },
      metadata: { actor: { subject: 'bench', roles: ['auditor'] }, recordedAt: new Date().toISOString(), requestId: 'bench', correlationId: 'bench', causationId: 'bench', schemaVersion: 1 },
    }));
    await store.appendToStream(`load-${Math.floor(first / 100_000)}`, events, 'any');
  }
  await store.close();
}

async function main(): Promise<void> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'cl-export-bench-'));
  try {
    console.log(`generating ${EVENTS} events in ${dataDir}…`);
    await generate(path.join(dataDir, 'events.sqlite'));
    const config = loadConfig({
      DATA_DIR: dataDir, NODE_ENV: 'test', PROJECTOR_MODE: 'off', RATE_LIMIT_PER_MINUTE: '0',
      AUTH_TOKENS: JSON.stringify([{ token: TOKEN, subject: 'bench', roles: ['auditor'], organisation: '*' }]),
    });
    const app = await createApp(config);
    await app.listen(0, '127.0.0.1');
    const { port } = app.getHttpServer().address() as AddressInfo;
    global.gc?.();
    const before = process.memoryUsage();
    let highest = before.rss;
    const sampler = setInterval(() => { highest = Math.max(highest, process.memoryUsage().rss); }, 100);
    const started = Date.now();
    const { lines, bytes } = await new Promise<{ lines: number; bytes: number }>((resolve, reject) => {
      http.get({ port, host: '127.0.0.1', path: '/events', headers: { Authorization: `Bearer ${TOKEN}` } }, (response) => {
        let count = 0;
        let size = 0;
        response.on('data', (chunk: Buffer) => {
          size += chunk.length;
          for (const byte of chunk) if (byte === 10) count += 1;
          if (CLIENT_KBPS > 0) {
            response.pause();
            setTimeout(() => response.resume(), (chunk.length / 1024 / CLIENT_KBPS) * 1000);
          }
        });
        response.on('end', () => resolve({ lines: count, bytes: size }));
        response.on('error', reject);
      }).on('error', reject);
    });
    clearInterval(sampler);
    const seconds = (Date.now() - started) / 1000;
    const after = process.memoryUsage();
    console.log(`exported ${lines} events (${mb(bytes)}) in ${seconds.toFixed(1)} s, ${(lines / seconds).toFixed(0)} events/s`);
    console.log(`RSS before ${mb(before.rss)}, highest during ${mb(highest)}, after ${mb(after.rss)}; heap before ${mb(before.heapUsed)}, after ${mb(after.heapUsed)}`);
    await app.close();
  } finally {
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

main().then(() => process.exit(0), (error: unknown) => {
  console.error(error);
  process.exit(1);
});
