/**
 * http_scaling, http_vs_raw, balance_query: closed-loop clients on loopback against the real API
 * process (started as `npm run load` starts it: test/support/api-process.ts, with load.ts's
 * principals), its store at the only durability it has (WAL, synchronous FULL).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { startApiProcess } from '../test/support/api-process';
import { JsonClient } from '../test/support/json-client';
import seedConvention from '../docs/examples/seed-convention.json';
import { as as authorisedAs, TOKEN_TABLE } from './load';
import { figure, progress, type Figure } from './reporter';

const MANY_CLIENTS = 100;
const QUERY_CLIENTS = 50;

/** Requests per second that answered `expected` with `clients` clients, each sending `next()` in a loop for `seconds`. */
async function closedLoop(client: JsonClient, clients: number, seconds: number, next: (client: number) => { method: 'GET' | 'POST'; url: string; headers: Record<string, string>; body?: unknown }, expected: number): Promise<number> {
  let answered = 0;
  const failures = new Map<string, number>();
  const deadline = Date.now() + seconds * 1000;
  const start = process.hrtime.bigint();
  await Promise.all(Array.from({ length: clients }, async (_, index) => {
    while (Date.now() < deadline) {
      const request = next(index);
      const answer = await client.request(request.method, request.url, request.headers, request.body);
      if (answer.status === expected) answered++;
      else failures.set(`${answer.status} ${String(answer.body?.code ?? '')}`, (failures.get(`${answer.status} ${String(answer.body?.code ?? '')}`) ?? 0) + 1);
    }
  }));
  const elapsed = Number(process.hrtime.bigint() - start) / 1e9;
  if (failures.size > 0) progress(`http: unexpected answers: ${JSON.stringify(Object.fromEntries(failures))}`);
  if (answered === 0) throw new Error(`bench: no request answered ${expected} (${JSON.stringify(Object.fromEntries(failures))})`);
  return answered / elapsed;
}

export async function httpFigures(dir: string, scale: number, rawAppendsPerSecond: number): Promise<Record<string, Figure>> {
  const dataDir = path.join(dir, 'http-data');
  fs.mkdirSync(dataDir);
  const phaseSeconds = Math.max(1, 10 * scale);
  progress('http: starting the API process');
  // No rate limit: every client acts under one principal (RATE_LIMIT_PER_MINUTE).
  const api = await startApiProcess({ DATA_DIR: dataDir, AUTH_TOKENS: JSON.stringify(TOKEN_TABLE), RATE_LIMIT_PER_MINUTE: '0' });
  const client = new JsonClient(api.url, MANY_CLIENTS + 10);
  let sequence = 0;
  const key = () => ({ 'Idempotency-Key': `bench-${process.pid}-${++sequence}` });
  try {
    progress(`http: registering and signing ${MANY_CLIENTS} conventions, one per client`);
    const conventions: string[] = [];
    const setUp = async (i: number) => {
      const created = await client.request('POST', '/conventions', { ...authorisedAs('funder'), ...key() }, { ...seedConvention, reference: `BENCH-HTTP-${i}` });
      if (created.status !== 201) throw new Error(`bench: registration answered ${created.status} ${JSON.stringify(created.body)}`);
      const id = created.body.id as string;
      for (const [role, signatory] of [['funder', 'Yves Le Breton'], ['beneficiary', 'Nadi Bou Hanna']] as const) {
        const signed = await client.request('POST', `/conventions/${id}/signatures`, { ...authorisedAs(role), ...key() }, { party: role, signatory, signedOn: '2020-05-11' });
        if (signed.status !== 201) throw new Error(`bench: signature answered ${signed.status} ${JSON.stringify(signed.body)}`);
      }
      conventions[i] = id;
    };
    for (let i = 0; i < MANY_CLIENTS; i += 10) await Promise.all(Array.from({ length: 10 }, (_, j) => setUp(i + j)));
    // Every connection is opened before a clock starts (bench/load.ts says why).
    await Promise.all(Array.from({ length: MANY_CLIENTS }, () => client.request('GET', '/health')));
    const expense = (index: number) => ({
      method: 'POST' as const, url: `/conventions/${conventions[index]}/expenses`, headers: { ...authorisedAs('beneficiary'), ...key() },
      body: { category: 'devops', description: 'bench', amount: '0.01', committedOn: '2020-06-01' },
    });

    progress(`http: POST …/expenses, 1 client, ${phaseSeconds} s`);
    const single = await closedLoop(client, 1, phaseSeconds, expense, 201);
    progress(`http: POST …/expenses, ${MANY_CLIENTS} clients, ${phaseSeconds} s`);
    const many = await closedLoop(client, MANY_CLIENTS, phaseSeconds, expense, 201);
    progress(`http: ${Math.round(single)}/s with 1 client, ${Math.round(many)}/s with ${MANY_CLIENTS}`);

    progress(`http: GET /health, ${QUERY_CLIENTS} clients, ${phaseSeconds} s`);
    const health = await closedLoop(client, QUERY_CLIENTS, phaseSeconds, () => ({ method: 'GET', url: '/health', headers: {} }), 200);
    progress(`http: GET …/balance, ${QUERY_CLIENTS} clients, ${phaseSeconds} s`);
    const balance = await closedLoop(client, QUERY_CLIENTS, phaseSeconds, (index) => ({ method: 'GET', url: `/conventions/${conventions[index]}/balance`, headers: authorisedAs('auditor') }), 200);
    progress(`http: ${Math.round(balance)} balances/s, ${Math.round(health)} health checks/s`);

    return {
      http_scaling: figure(many, 'commands/s', single, `POST …/expenses, ${MANY_CLIENTS} clients; limit: 1 client`),
      http_vs_raw: figure(many, 'commands/s', rawAppendsPerSecond, `POST …/expenses, ${MANY_CLIENTS} clients; limit: one-event durable appends`),
      balance_query: figure(balance, 'requests/s', health, `GET …/balance, ${QUERY_CLIENTS} clients; limit: GET /health, ${QUERY_CLIENTS} clients`),
    };
  } finally {
    client.close();
    await api.kill();
  }
}
