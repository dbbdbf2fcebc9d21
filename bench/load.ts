/**
 * Load (`npm run load`): many concurrent clients on loopback against the real API process, mixing
 * commands over many conventions with balance queries, then checking that nothing was lost.
 * Prints throughput and latency percentiles; exits 1 on an error other than a rule refusal (422)
 * or on a lost update (a balance that is not the sum of what was acknowledged). The e2e test
 * test/e2e/load.e2e-spec.ts runs the same and asserts the correctness part only.
 *
 *   LOAD_DURATION_S (30)  LOAD_CLIENTS (100)  LOAD_CONVENTIONS (50)
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import Decimal from 'decimal.js';
import { startApiProcess } from '../test/support/api-process';
import { getOnceProjected, JsonClient, type JsonAnswer } from '../test/support/json-client';
import seedConvention from '../docs/examples/seed-convention.json';

export interface LoadOptions {
  durationS: number;
  clients: number;
  conventions: number;
  /** Progress lines (setup, load, checks); silent when absent. */
  log?: (line: string) => void;
}

export interface LatencySummary {
  count: number;
  p50: number;
  p90: number;
  p99: number;
  max: number;
}

export interface LoadReport {
  options: LoadOptions;
  /** Wall time of the loaded phase, in seconds. */
  seconds: number;
  requests: number;
  perSecond: number;
  latency: Record<'all' | Operation, LatencySummary>;
  /** 422 refusals by code: business rules saying no, which is not an error. */
  refusals: Record<string, number>;
  /** Every other failure, by status and code (or network error), and a few examples. */
  errors: Record<string, number>;
  errorExamples: string[];
  /** Conventions whose balance is not the sum of the acknowledged commands. */
  lostUpdates: string[];
  acknowledged: { expenses: number; servicesDone: number; payments: number };
}

type Operation = 'expense' | 'service-done' | 'payment' | 'balance';

// The load's own principals (AUTH_MODE test accepts them): the seed's funder and beneficiary
// organisations, and an auditor of every convention.
export const TOKENS = {
  funder: 'load-token-funder',
  beneficiary: 'load-token-beneficiary',
  auditor: 'load-token-auditor',
};
export const TOKEN_TABLE = [
  { token: TOKENS.funder, subject: 'load-funder', roles: ['funder'], organisation: seedConvention.funder.organisation },
  { token: TOKENS.beneficiary, subject: 'load-beneficiary', roles: ['beneficiary'], organisation: seedConvention.beneficiary.organisation },
  { token: TOKENS.auditor, subject: 'load-auditor', roles: ['auditor'], organisation: '*' },
];
export const as = (role: keyof typeof TOKENS) => ({ Authorization: `Bearer ${TOKENS[role]}` });

/** The mix of one client's requests: commands that move the figures, and balance queries. */
const MIX: [Operation, number][] = [['expense', 0.35], ['service-done', 0.1], ['payment', 0.1], ['balance', 0.45]];

interface Ledger {
  id: string;
  committed: Decimal;
  serviceDone: Decimal;
  received: Decimal;
  /** Acknowledged expenses whose service is not done yet: each is taken by one client only. */
  open: { expenseId: string; amount: Decimal; committedOn: string }[];
}

const percentile = (sorted: number[], p: number) => (sorted.length === 0 ? 0 : sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]);
function summarise(samples: number[]): LatencySummary {
  const sorted = [...samples].sort((a, b) => a - b);
  return { count: sorted.length, p50: percentile(sorted, 50), p90: percentile(sorted, 90), p99: percentile(sorted, 99), max: sorted.at(-1) ?? 0 };
}
const cents = (min: number, max: number) => new Decimal(min * 100 + Math.floor(Math.random() * ((max - min) * 100 + 1))).dividedBy(100);
const dayIn = (from: string, days: number) => new Date(Date.parse(`${from}T00:00:00Z`) + Math.floor(Math.random() * days) * 86_400_000).toISOString().slice(0, 10);

export async function runLoad(options: LoadOptions): Promise<LoadReport> {
  const log = options.log ?? (() => undefined);
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'convention-ledger-load-'));
  // No rate limit: 100 clients under one principal would be throttled (RATE_LIMIT_PER_MINUTE).
  const api = await startApiProcess({ DATA_DIR: dataDir, AUTH_TOKENS: JSON.stringify(TOKEN_TABLE), RATE_LIMIT_PER_MINUTE: '0' });
  const client = new JsonClient(api.url, options.clients + 10);
  const run = `${Date.now()}`;
  let sequence = 0;
  const key = () => ({ 'Idempotency-Key': `load-${run}-${++sequence}` });
  const samples: Record<Operation, number[]> = { expense: [], 'service-done': [], payment: [], balance: [] };
  const refusals: Record<string, number> = {};
  const errors: Record<string, number> = {};
  const errorExamples: string[] = [];
  let lastPosition = 0;

  const failure = (what: string, label: string) => {
    errors[label] = (errors[label] ?? 0) + 1;
    if (errorExamples.length < 10) errorExamples.push(`${what}: ${label}`);
  };
  /** One request, classified: the answer when it succeeded, undefined otherwise. */
  const call = async (operation: Operation | null, method: 'GET' | 'POST', url: string, headers: Record<string, string>, body?: unknown): Promise<JsonAnswer | undefined> => {
    let answer: JsonAnswer;
    try {
      answer = await client.request(method, url, headers, body);
    } catch (error) {
      failure(`${method} ${url}`, `network ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
      return undefined;
    }
    if (operation) samples[operation].push(answer.ms);
    if (answer.status >= 200 && answer.status < 300) {
      if (typeof answer.body?.position === 'number') lastPosition = Math.max(lastPosition, answer.body.position);
      return answer;
    }
    const code = String(answer.body?.code ?? '');
    if (answer.status === 422) refusals[code] = (refusals[code] ?? 0) + 1;
    else failure(`${method} ${url}`, `${answer.status} ${code}`);
    return undefined;
  };

  try {
    log(`load: API at ${api.url}, setting up ${options.conventions} active conventions`);
    const ledgers: Ledger[] = [];
    const setUp = async (index: number) => {
      const created = await call(null, 'POST', '/conventions', { ...as('funder'), ...key() }, { ...seedConvention, reference: `LOAD-${run}-${index}` });
      if (!created) throw new Error(`load: could not register convention ${index}: ${JSON.stringify(errorExamples)}`);
      const id = created.body.id as string;
      for (const [role, signatory] of [['funder', 'Yves Le Breton'], ['beneficiary', 'Nadi Bou Hanna']] as const) {
        if (!(await call(null, 'POST', `/conventions/${id}/signatures`, { ...as(role), ...key() }, { party: role, signatory, signedOn: '2020-05-11' }))) {
          throw new Error(`load: could not sign convention ${index}: ${JSON.stringify(errorExamples)}`);
        }
      }
      ledgers.push({ id, committed: new Decimal(0), serviceDone: new Decimal(0), received: new Decimal(0), open: [] });
    };
    for (let i = 0; i < options.conventions; i += 10) {
      await Promise.all(Array.from({ length: Math.min(10, options.conventions - i) }, (_, j) => setUp(i + j)));
    }

    const acknowledged = { expenses: 0, servicesDone: 0, payments: 0 };
    const pick = (): Operation => {
      let roll = Math.random();
      for (const [operation, weight] of MIX) if ((roll -= weight) < 0) return operation;
      return 'balance';
    };
    const step = async () => {
      const ledger = ledgers[Math.floor(Math.random() * ledgers.length)];
      let operation = pick();
      if (operation === 'service-done' && ledger.open.length === 0) operation = 'expense';
      if (operation === 'expense') {
        const amount = cents(1, 999);
        const committedOn = dayIn('2020-06-01', 300);
        const answer = await call('expense', 'POST', `/conventions/${ledger.id}/expenses`, { ...as('beneficiary'), ...key() },
          { category: 'devops', description: `load ${sequence}`, amount: amount.toFixed(2), committedOn });
        if (answer) {
          ledger.committed = ledger.committed.plus(amount);
          ledger.open.push({ expenseId: answer.body.expenseId, amount, committedOn });
          acknowledged.expenses++;
        }
      } else if (operation === 'service-done') {
        const expense = ledger.open.splice(Math.floor(Math.random() * ledger.open.length), 1)[0];
        const answer = await call('service-done', 'POST', `/conventions/${ledger.id}/expenses/${expense.expenseId}/service-done`, { ...as('beneficiary'), ...key() }, { on: expense.committedOn });
        if (answer) {
          ledger.serviceDone = ledger.serviceDone.plus(expense.amount);
          acknowledged.servicesDone++;
        }
      } else if (operation === 'payment') {
        const amount = cents(1, 99);
        const answer = await call('payment', 'POST', `/conventions/${ledger.id}/payments`, { ...as('funder'), ...key() }, { tranche: 1, amount: amount.toFixed(2), paidOn: '2020-06-15' });
        if (answer) {
          ledger.received = ledger.received.plus(amount);
          acknowledged.payments++;
        }
      } else {
        await call('balance', 'GET', `/conventions/${ledger.id}/balance`, as('auditor'));
      }
    };

    // Every client's connection is opened before the clock starts. A connection opened while the
    // process is saturated waits in the kernel's accept queue until the event loop has slack (Node
    // serves the connections it holds first): opened under load, a dozen of 100 clients waited
    // for the whole run (docs/reliability.md, "Load").
    await Promise.all(ledgers.slice(0, 1).flatMap((ledger) => Array.from({ length: options.clients }, () => call(null, 'GET', `/conventions/${ledger.id}/balance`, as('auditor')))));
    log(`load: ${options.clients} clients for ${options.durationS} s`);
    const started = process.hrtime.bigint();
    const deadline = Date.now() + options.durationS * 1000;
    await Promise.all(Array.from({ length: options.clients }, async () => {
      while (Date.now() < deadline) await step();
    }));
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;

    // No lost update: once the read models include the last acknowledged position, every balance
    // is the sum of what its acknowledged commands moved.
    log('load: checking the balances');
    const lostUpdates: string[] = [];
    for (const ledger of ledgers) {
      const answer = await getOnceProjected(client, `/conventions/${ledger.id}/balance?minPosition=${lastPosition}`, as('auditor'));
      const expected = { status: 200, committed: ledger.committed.toFixed(2), serviceDone: ledger.serviceDone.toFixed(2), received: ledger.received.toFixed(2) };
      const actual = { status: answer.status, committed: answer.body?.committed, serviceDone: answer.body?.serviceDone, received: answer.body?.received };
      if (JSON.stringify(actual) !== JSON.stringify(expected)) lostUpdates.push(`${ledger.id}: acknowledged ${JSON.stringify(expected)}, balance ${JSON.stringify(actual)}`);
    }

    const all = Object.values(samples).flat();
    return {
      options,
      seconds,
      requests: all.length,
      perSecond: all.length / seconds,
      latency: {
        all: summarise(all),
        expense: summarise(samples.expense),
        'service-done': summarise(samples['service-done']),
        payment: summarise(samples.payment),
        balance: summarise(samples.balance),
      },
      refusals,
      errors,
      errorExamples,
      lostUpdates,
      acknowledged,
    };
  } finally {
    client.close();
    await api.kill();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

/** The report as a Markdown table and a few lines (what docs/reliability.md shows). */
export function formatReport(report: LoadReport): string {
  const ms = (value: number) => value.toFixed(1);
  const rows = (Object.entries(report.latency) as [string, LatencySummary][])
    .map(([name, l]) => `| ${name} | ${l.count} | ${(l.count / report.seconds).toFixed(0)} | ${ms(l.p50)} | ${ms(l.p90)} | ${ms(l.p99)} | ${ms(l.max)} |`);
  return [
    `${report.options.clients} clients, ${report.options.conventions} conventions, ${report.seconds.toFixed(1)} s on ${os.cpus().length} cores (${os.cpus()[0]?.model ?? 'unknown CPU'})`,
    '',
    '| requests | count | per second | p50 ms | p90 ms | p99 ms | max ms |',
    '|---|---|---|---|---|---|---|',
    ...rows,
    '',
    `acknowledged: ${report.acknowledged.expenses} expenses, ${report.acknowledged.servicesDone} services done, ${report.acknowledged.payments} tranche payments`,
    `rule refusals (422): ${JSON.stringify(report.refusals)}`,
    `errors: ${JSON.stringify(report.errors)}${report.errorExamples.length ? ` e.g. ${report.errorExamples.join('; ')}` : ''}`,
    `lost updates: ${report.lostUpdates.length ? report.lostUpdates.join('; ') : 'none'}`,
  ].join('\n');
}

if (require.main === module) {
  const options: LoadOptions = {
    durationS: Number(process.env.LOAD_DURATION_S ?? 30),
    clients: Number(process.env.LOAD_CLIENTS ?? 100),
    conventions: Number(process.env.LOAD_CONVENTIONS ?? 50),
    log: (line) => console.log(line),
  };
  runLoad(options).then((report) => {
    console.log(formatReport(report));
    process.exit(Object.keys(report.errors).length > 0 || report.lostUpdates.length > 0 ? 1 : 0);
  }, (error: unknown) => {
    console.error(`load: failed: ${(error as Error).stack ?? String(error)}`);
    process.exit(1);
  });
}
