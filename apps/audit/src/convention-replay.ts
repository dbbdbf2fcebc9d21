import { conventionStream, evolve, figuresOf, formatMoney, isConventionEventType, upcast, type ConventionState, type RegisteredConvention } from '@cl/domain';
import type { EventStore, RecordedEvent } from '@cl/event-store';
import { balanceOf, KnownAtViews, knownPrefix, readCheckpoint, type Balance, type KnownAt, type ReadModelDb } from '@cl/read-models';

export interface ReplayRequest {
  conventionId: string;
  /** Only the events recorded up to it (knownAt's rule); the whole stream without it. */
  until?: KnownAt;
  /** The business date the figures are computed as of (figuresAsOf); now without it. */
  asOf?: string;
}

/** One event replayed, and the figures right after it. */
export interface ReplayStep {
  recorded: RecordedEvent;
  figures: Balance | null;
}

/** What is compared with the read models: the figures, and each expense's and statement's amounts. */
export interface ReplaySummary {
  /** The figures; on the read models' side, computed from their facts tables. */
  balance: Balance;
  /**
   * Without asOf: the current figures; on the read models' side, as stored (rm_balances, what
   * `GET …/balance` answers).
   */
  storedBalance?: Balance;
  expenses: { expenseId: string; amount: string }[];
  statements: { number: number; total: string; cumulativeTotal: string }[];
}

export interface ReplayResult {
  steps: ReplayStep[];
  /** Undefined when no registration was replayed (unknown convention, or --until before it). */
  replayed?: ReplaySummary;
  readModels?: ReplaySummary;
  /** Each field that differs: `balance.received: replay 800000.00, read models 900000.00`. */
  differences: string[];
  /** The read models' checkpoint, when it has not reached the last event replayed. */
  readModelsBehind?: number;
}

/**
 * Rebuilds a convention from its raw events, without the read models: the stream read through
 * the event-store port, each event upcast (libs/domain upcasting.ts) and applied by the domain's
 * evolve, the figures computed by figuresOf (figures.ts). Then the read models' answer for the
 * same knownAt and asOf (KnownAtViews, the API's code path) is compared with it: the figures
 * computed from their facts tables and, without asOf, the current figures as stored.
 */
export async function replayConvention(store: EventStore, readModels: ReadModelDb, request: ReplayRequest): Promise<ReplayResult> {
  const { conventionId, asOf } = request;
  const stream = (await store.readStream(conventionStream(conventionId))).filter((recorded) => isConventionEventType(recorded.type));
  const events = request.until === undefined ? stream : knownPrefix(stream, request.until);
  let state: ConventionState = null;
  const steps = events.map((recorded): ReplayStep => {
    state = evolve(state, upcast({ type: recorded.type, schemaVersion: recorded.metadata?.schemaVersion, data: recorded.data }));
    return { recorded, figures: state && balanceOf(conventionId, figuresOf(state, asOf), asOf) };
  });
  const finalState = state as ConventionState;
  const replayed = finalState === null ? undefined : summaryOfState(conventionId, finalState, asOf);

  const last = events.at(-1)?.position ?? 0;
  const checkpoint = await readCheckpoint(readModels);
  const fromReadModels = await new KnownAtViews(readModels, store).read(request.until, [conventionId], async (view) => {
    const balance = await view.getBalanceFromFacts(conventionId, asOf);
    if (!balance) return undefined;
    return {
      balance,
      ...(asOf === undefined ? { storedBalance: await view.getBalance(conventionId) } : {}),
      expenses: (await view.listExpenses(conventionId, asOf))!.map((expense) => ({ expenseId: expense.expenseId, amount: expense.amount })),
      statements: (await view.listStatements(conventionId, asOf))!.map((s) => ({ number: s.number, total: s.total, cumulativeTotal: s.cumulativeTotal })),
    };
  });
  return {
    steps,
    replayed,
    readModels: fromReadModels,
    differences: differencesBetween(replayed, fromReadModels),
    ...(checkpoint < last ? { readModelsBehind: checkpoint } : {}),
  };
}

function summaryOfState(conventionId: string, state: RegisteredConvention, asOf?: string): ReplaySummary {
  const known = (date: string) => asOf === undefined || date <= asOf;
  const balance = balanceOf(conventionId, figuresOf(state, asOf), asOf);
  return {
    balance,
    ...(asOf === undefined ? { storedBalance: balance } : {}),
    expenses: [...state.expenses.values()].filter((expense) => known(expense.committedOn))
      .map((expense) => ({ expenseId: expense.expenseId, amount: formatMoney(expense.amount) })),
    statements: state.statements.filter((statement) => known(statement.drawnUpOn))
      .map((s) => ({ number: s.number, total: formatMoney(s.total), cumulativeTotal: formatMoney(s.cumulativeTotal) })),
  };
}

/** Field by field, by dotted path (order of lists included). */
export function differencesBetween(replayed: unknown, readModels: unknown, path = ''): string[] {
  if (replayed !== null && readModels !== null && typeof replayed === 'object' && typeof readModels === 'object') {
    const keys = [...new Set([...Object.keys(replayed), ...Object.keys(readModels)])];
    return keys.flatMap((key) => differencesBetween(
      (replayed as Record<string, unknown>)[key], (readModels as Record<string, unknown>)[key], path ? `${path}.${key}` : key,
    ));
  }
  if (replayed === readModels) return [];
  const shown = (value: unknown) => (value === undefined ? '(absent)' : JSON.stringify(value));
  return [`${path || '(convention)'}: replay ${shown(replayed)}, read models ${shown(readModels)}`];
}
