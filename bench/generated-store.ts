/**
 * A generated event store for the rebuild figures: whole convention lifecycles decided by the
 * real domain (decide, then evolve), appended through the embedded store port, so that every
 * event type appears in the proportions a real ledger has (registration, signatures, tranche
 * payments, expenses through their four steps with some rejected, statements and their
 * signatures, fund calls, amendments, closures or terminations, restitutions and settlements).
 * A command the rules refuse is counted and skipped, as a client's refused request records nothing.
 */
import { randomUUID } from 'node:crypto';
import { conventionStream, decide, DomainError, evolve, money, type ConventionCommand, type ConventionState } from '@cl/domain';
import { SqliteEventStore, statementSealFor, type NewEvent } from '@cl/event-store';
import { seedRegistration } from '../libs/domain/testing/seed-convention';

export interface GeneratedStore {
  file: string;
  conventions: number;
  events: number;
  refusals: number;
  /** Refused commands by error code. */
  refusalCodes: Record<string, number>;
  /** Events by type, to show the proportions. */
  types: Record<string, number>;
}

/** Expenses per convention: about 500 events each, so 1M events take 2,000 conventions at scale 1. */
export const EXPENSES_PER_CONVENTION = 110;
const EVENTS_PER_CONVENTION_ESTIMATE = 4 * EXPENSES_PER_CONVENTION + 40;
/** Conventions generated side by side, their commands interleaved in the log as real traffic is. */
const INTERLEAVED = 20;
/** Commands of one convention appended per transaction while interleaving. */
const COMMANDS_PER_APPEND = 10;
const TODAY = '2026-01-01';

/** A small deterministic generator (mulberry32), so that two runs at one scale generate the same shape. */
function randomFrom(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return { next, int: (min: number, max: number) => min + Math.floor(next() * (max - min + 1)) };
}
type Random = ReturnType<typeof randomFrom>;

const addDays = (date: string, days: number) => new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);

/** The commands of one convention's life, in order. Variants: amended, expenses rejected, terminated instead of closed. */
function* lifecycle(id: string, index: number, random: Random): Generator<ConventionCommand> {
  const cents = (min: number, max: number) => money((random.int(min * 100, max * 100) / 100).toFixed(2));
  yield seedRegistration(id, { reference: `BENCH-${index}` });
  yield { type: 'SignConvention', party: 'funder', signatory: 'Yves Le Breton', signedOn: '2020-05-11' };
  yield { type: 'SignConvention', party: 'beneficiary', signatory: 'Nadi Bou Hanna', signedOn: '2020-05-11' };
  yield { type: 'PayTranche', paymentId: randomUUID(), tranche: 1, amount: money('400000.00'), paidOn: '2020-05-20' };
  yield { type: 'PayTranche', paymentId: randomUUID(), tranche: 1, amount: money('400000.00'), paidOn: '2020-06-20' };
  if (random.next() < 0.15) {
    yield { type: 'AmendConvention', signedOn: '2020-07-01', signatories: { funder: 'Yves Le Breton', beneficiary: 'Nadi Bou Hanna' }, changes: { durationMonths: 13 } };
  }
  // Sums land between the second tranche's threshold and the ceiling whatever the draw; an
  // overspent convention ends owed money by the funder (a settlement), the others owe restitutions.
  const overspent = random.next() < 0.3;
  const low = Math.ceil((overspent ? 1_400_000 : 700_000) / EXPENSES_PER_CONVENTION);
  const high = Math.floor((overspent ? 1_500_000 : 1_100_000) / EXPENSES_PER_CONVENTION);
  for (let e = 0; e < EXPENSES_PER_CONVENTION; e++) {
    const expenseId = randomUUID();
    const committedOn = addDays('2020-06-01', random.int(0, 150));
    yield { type: 'CommitExpense', expenseId, category: 'devops', description: `expense ${e + 1}`, amount: cents(low, high), committedOn };
    const serviceDoneOn = addDays(committedOn, random.int(1, 30));
    yield { type: 'RecordServiceDone', expenseId, on: serviceDoneOn };
    yield { type: 'RecordExpensePayment', expenseId, paidOn: addDays(committedOn, random.int(31, 60)) };
    if (random.next() < 0.08) yield { type: 'RejectExpense', expenseId, on: addDays(committedOn, random.int(61, 90)), reason: 'not eligible' };
    else yield { type: 'AcceptExpense', expenseId, on: addDays(committedOn, random.int(61, 90)) };
  }
  yield { type: 'DrawUpStatement', cutoff: '2020-12-31', final: false, drawnUpOn: '2021-01-05' };
  yield { type: 'SignStatement', number: 1, as: 'authorizing-officer', signatory: 'Ordonnateur', subject: 'officer', signedOn: '2021-01-10' };
  yield { type: 'SignStatement', number: 1, as: 'public-accountant', signatory: 'Comptable', subject: 'accountant', signedOn: '2021-01-11' };
  yield { type: 'IssueFundCall', tranche: 2, statement: 1, issuedOn: '2021-01-15' };
  yield { type: 'PayTranche', paymentId: randomUUID(), tranche: 2, amount: money('400000.00'), paidOn: '2021-01-20' };
  const terminated = random.next() < 0.1;
  if (terminated) {
    yield { type: 'TerminateConvention', decidedOn: '2021-03-01', effectiveOn: '2021-03-15', decidedBy: 'funder', reason: 'project stopped', atFault: 'beneficiary' };
  }
  const finalCutoff = terminated ? '2021-03-15' : '2021-05-11';
  yield { type: 'DrawUpStatement', cutoff: finalCutoff, final: true, drawnUpOn: addDays(finalCutoff, 4) };
  yield { type: 'SignStatement', number: 2, as: 'authorizing-officer', signatory: 'Ordonnateur', subject: 'officer', signedOn: addDays(finalCutoff, 9) };
  yield { type: 'SignStatement', number: 2, as: 'public-accountant', signatory: 'Comptable', subject: 'accountant', signedOn: addDays(finalCutoff, 10) };
  if (!terminated) yield { type: 'CloseConvention', on: '2021-06-30', statement: 2 };
  if (overspent) {
    yield { type: 'PaySettlement', paymentId: randomUUID(), amount: cents(100, 5_000), paidOn: '2021-07-01' };
    yield { type: 'PaySettlement', paymentId: randomUUID(), amount: cents(100, 5_000), paidOn: '2021-07-02' };
  } else {
    yield { type: 'PayRestitution', restitutionId: randomUUID(), amount: cents(100, 5_000), paidOn: '2021-07-01' };
    yield { type: 'PayRestitution', restitutionId: randomUUID(), amount: cents(100, 5_000), paidOn: '2021-07-02' };
  }
}

interface Running {
  streamId: string;
  commands: Generator<ConventionCommand>;
  state: ConventionState;
  stored: { type: string; data: Record<string, unknown> }[];
  revision: number | 'no_stream';
  done: boolean;
}

/** Generates about `targetEvents` events into a new store at `file` (at least 1,000 conventions at 1M events). */
export async function generateStore(file: string, targetEvents: number, onProgress: (events: number) => void): Promise<GeneratedStore> {
  const conventions = Math.max(1, Math.round(targetEvents / EVENTS_PER_CONVENTION_ESTIMATE));
  const store = new SqliteEventStore(file);
  const random = randomFrom(12);
  const result: GeneratedStore = { file, conventions, events: 0, refusals: 0, refusalCodes: {}, types: {} };
  const metadata = { actor: { subject: 'bench', roles: ['funder', 'beneficiary'], organisation: 'bench' }, requestId: 'bench', correlationId: 'bench', causationId: 'bench' };
  let lastReported = 0;
  try {
    for (let first = 0; first < conventions; first += INTERLEAVED) {
      const group: Running[] = [];
      for (let i = first; i < Math.min(conventions, first + INTERLEAVED); i++) {
        const id = randomUUID();
        group.push({ streamId: conventionStream(id), commands: lifecycle(id, i, random), state: null, stored: [], revision: 'no_stream', done: false });
      }
      while (group.some((c) => !c.done)) {
        for (const convention of group.filter((c) => !c.done)) {
          const batch: NewEvent[] = [];
          for (let n = 0; n < COMMANDS_PER_APPEND && !convention.done; n++) {
            const next = convention.commands.next();
            if (next.done) { convention.done = true; break; }
            let decided;
            try {
              decided = decide(next.value, convention.state, { today: TODAY });
            } catch (error) {
              if (!(error instanceof DomainError)) throw error;
              result.refusals++;
              result.refusalCodes[`${next.value.type} ${error.code}`] = (result.refusalCodes[`${next.value.type} ${error.code}`] ?? 0) + 1;
              continue;
            }
            const recordedAt = new Date().toISOString();
            for (const event of decided) {
              convention.state = evolve(convention.state, event);
              const data = event.data as unknown as Record<string, unknown>;
              const statementContentHash = statementSealFor({ type: event.type, data }, convention.stored);
              convention.stored.push({ type: event.type, data });
              batch.push({ id: randomUUID(), type: event.type, data, metadata: { ...metadata, recordedAt, schemaVersion: event.schemaVersion, ...(statementContentHash ? { statementContentHash } : {}) } });
              result.types[event.type] = (result.types[event.type] ?? 0) + 1;
            }
          }
          if (batch.length === 0) continue;
          // Through JSON as the store does: the domain's Decimals become text, as in any append.
          const appended = await store.appendToStream(convention.streamId, batch, convention.revision);
          convention.revision = appended.nextExpectedRevision;
          result.events += batch.length;
        }
        if (result.events - lastReported >= 20_000) { lastReported = result.events; onProgress(result.events); }
      }
    }
  } finally {
    await store.close();
  }
  return result;
}
