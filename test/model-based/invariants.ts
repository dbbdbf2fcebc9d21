import Decimal from 'decimal.js';
import {
  type BusinessDate, type ConventionEvent, type ConventionState, type Money, type RegisteredConvention, ZERO, evolve, formatMoney, isStatementValid,
  ledgerFactsOf, lastSignatureOn, money, sum,
} from '@cl/domain';
import { type Figures, figuresAsOf } from '@cl/domain/figures';
import { datesIn, datesThatMatter } from './facts';
import { addDays } from './random';
import type { Decided, Scenario } from './scenario';

/**
 * Domain-level invariants of a convention's figures (docs/domain-rules.md E4, P1, D1, C1, X1, R1,
 * R2), checked on the figures of the domain's one figures function (figures.ts) at every date
 * that matters, and on the domain state. They hold whatever the commands were: the generator
 * only decides what is tried, decide() what is accepted.
 *
 * Each check returns sentences, one per violation; an empty list means the invariant holds.
 */

/** Figures as JSON-ready text (money as canonical two-decimal strings), for comparisons and messages. */
export function figuresText(f: Figures) {
  const text = formatMoney;
  const owed = (o: Figures['restitution']) => ({ due: text(o.due), paid: text(o.paid), outstanding: text(o.outstanding) });
  return {
    status: f.status,
    ceiling: text(f.ceiling),
    committed: text(f.committed),
    serviceDone: text(f.serviceDone),
    paid: text(f.paid),
    consumed: text(f.consumed),
    rejected: text(f.rejected),
    called: text(f.called),
    due: text(f.due),
    received: text(f.received),
    outstanding: text(f.outstanding),
    remainingCeiling: text(f.remainingCeiling),
    tranches: f.tranches.map((t) => ({ number: t.number, amount: text(t.amount), status: t.status, paid: text(t.paid) })),
    ...(f.participation !== undefined ? { participation: text(f.participation) } : {}),
    provisional: f.provisional,
    restitution: owed(f.restitution),
    owedToBeneficiary: owed(f.owedToBeneficiary),
  };
}

const MONEY_FIELDS = ['ceiling', 'committed', 'serviceDone', 'paid', 'consumed', 'rejected', 'called', 'due', 'received', 'outstanding', 'remainingCeiling'] as const;

/** Every amount of the figures with its name. */
function amountsOf(f: Figures): [string, Money][] {
  const amounts: [string, Money][] = MONEY_FIELDS.map((key) => [key, f[key]]);
  if (f.participation !== undefined) amounts.push(['participation', f.participation]);
  for (const side of ['restitution', 'owedToBeneficiary'] as const) {
    for (const key of ['due', 'paid', 'outstanding'] as const) amounts.push([`${side}.${key}`, f[side][key]]);
  }
  f.tranches.forEach((t) => amounts.push([`tranches[${t.number}].amount`, t.amount], [`tranches[${t.number}].paid`, t.paid]));
  return amounts;
}

const m = formatMoney;

/** A correction's amount: negative money text ("-1200.00"), which `money()` refuses on purpose. */
const signed = (text: string): Money => {
  if (!/^-?(0|[1-9][0-9]*)\.[0-9]{2}$/.test(text)) throw new Error(`not a signed amount in cents: ${JSON.stringify(text)}`);
  return new Decimal(text);
};

/**
 * What the figures must satisfy as of one date (`asOf` undefined: now), given what the state says
 * happened when. `ended`, `provisional` and `effective` are read from the state's own facts, not
 * from the figures, so that the figures' status is checked against them.
 */
export function figuresViolations(state: RegisteredConvention, f: Figures, asOf: BusinessDate | undefined): string[] {
  const out: string[] = [];
  const known = (date: BusinessDate | undefined) => date !== undefined && (asOf === undefined || date <= asOf);

  for (const [name, amount] of amountsOf(f)) {
    if (!amount.isFinite() || amount.decimalPlaces() > 2) out.push(`${name} ${amount.toString()} is not an amount in cents`);
    else if (amount.isNegative()) out.push(`${name} ${m(amount)} is below zero`);
  }
  if (out.length > 0) return out;

  // E4 and P1 at every date, against the ceiling in force on it (A3).
  if (f.committed.greaterThan(f.ceiling)) out.push(`committed ${m(f.committed)} > ceiling in force ${m(f.ceiling)} (E4)`);
  if (f.received.greaterThan(f.ceiling)) out.push(`received ${m(f.received)} > ceiling in force ${m(f.ceiling)} (P1)`);
  if (!(f.committed.greaterThanOrEqualTo(f.serviceDone) && f.serviceDone.greaterThanOrEqualTo(f.paid) && f.paid.greaterThanOrEqualTo(f.consumed))) {
    out.push(`step sums not nested: committed ${m(f.committed)} ≥ serviceDone ${m(f.serviceDone)} ≥ paid ${m(f.paid)} ≥ consumed ${m(f.consumed)}`);
  }
  for (const t of f.tranches) {
    if (t.paid.greaterThan(t.amount)) out.push(`tranche ${t.number} paid ${m(t.paid)} beyond its amount ${m(t.amount)} (P1)`);
  }
  const scheduled = sum(f.tranches.map((t) => t.amount));
  if (!scheduled.equals(f.ceiling)) out.push(`tranches sum to ${m(scheduled)}, the ceiling in force is ${m(f.ceiling)} (T3)`);

  // Status, from the state's own dates.
  const effective = known(state.effectiveOn);
  const closed = known(state.closure?.on);
  const terminated = !closed && known(state.termination?.effectiveOn);
  const ended = closed || terminated;
  const finalValid = state.statements.some((s) => s.final && isStatementValid(s) && known(lastSignatureOn(s)));
  const provisional = terminated && !finalValid;
  const settled = ended && !provisional && f.restitution.outstanding.isZero() && f.owedToBeneficiary.outstanding.isZero();
  const status = !effective ? 'draft' : settled ? 'settled' : closed ? 'closed' : terminated ? 'terminated' : 'active';
  if (f.status !== status) {
    out.push(`status ${f.status}, but the facts say ${status} (effective ${effective}, closed ${closed}, terminated ${terminated}, provisional ${provisional}, `
      + `restitution outstanding ${m(f.restitution.outstanding)}, owed to beneficiary outstanding ${m(f.owedToBeneficiary.outstanding)})`);
  }
  if (f.provisional !== provisional) out.push(`provisional ${f.provisional}, but terminated ${terminated} and a valid final statement ${finalValid} (X1)`);
  if ((f.status === 'settled') !== (ended && !f.provisional && f.restitution.outstanding.isZero() && f.owedToBeneficiary.outstanding.isZero())) {
    out.push(`settled ⇔ (ended, final figures, nothing outstanding either way) fails: status ${f.status} (R1)`);
  }
  // While active a called tranche is due for its amount; at the end its unpaid remainder lapses (C1), so only then may called exceed due.
  if (!ended && f.called.greaterThan(f.due)) out.push(`called ${m(f.called)} > due ${m(f.due)} while not ended`);
  // R1/R2 (with X1): no money changes hands on provisional figures, in any view.
  if (f.provisional && !(f.restitution.paid.isZero() && f.owedToBeneficiary.paid.isZero())) {
    out.push(`provisional figures, yet restitutions ${m(f.restitution.paid)} and settlement payments ${m(f.owedToBeneficiary.paid)} are paid (R1/R2)`);
  }
  // C1/X1: once ended, nothing is outstanding on tranches, the participation stays within the ceiling, and settled leaves no ceiling unused.
  if (ended && !f.outstanding.isZero()) out.push(`outstanding ${m(f.outstanding)} after the end (C1)`);
  if (f.participation?.greaterThan(f.ceiling)) out.push(`participation ${m(f.participation)} above the ceiling ${m(f.ceiling)} (C1/X1)`);
  if (f.status === 'settled' && !f.remainingCeiling.isZero()) out.push(`settled with a remaining ceiling of ${m(f.remainingCeiling)} (C1)`);
  if ((f.participation !== undefined) !== ended) out.push(`participation ${f.participation ? m(f.participation) : 'absent'} while ended is ${ended} (C1/X1)`);
  if (!ended && !(f.restitution.due.isZero() && f.owedToBeneficiary.due.isZero() && f.owedToBeneficiary.paid.isZero() && f.restitution.paid.isZero())) {
    out.push(`money owed after the end before it: restitution due ${m(f.restitution.due)}, paid ${m(f.restitution.paid)}, owed to beneficiary due ${m(f.owedToBeneficiary.due)}, paid ${m(f.owedToBeneficiary.paid)}`);
  }
  return out;
}

/** D1 (v2): each statement's totals, by its own lines and corrections and by all those before it. */
export function statementViolations(state: RegisteredConvention): string[] {
  const out: string[] = [];
  let running = ZERO;
  const listed = new Map<string, number>();
  const corrected = new Set<string>();
  for (const s of state.statements) {
    const lines = sum(s.lines.map((l) => money(l.amount)));
    const corrections = sum(s.corrections.map((c) => signed(c.amount)));
    const previous = state.statements[s.number - 2]?.cumulativeTotal ?? ZERO;
    if (!s.total.equals(lines)) out.push(`statement ${s.number}: total ${m(s.total)} ≠ sum of its lines ${m(lines)}`);
    if (!s.previousCumulativeTotal.equals(previous)) out.push(`statement ${s.number}: previousCumulativeTotal ${m(s.previousCumulativeTotal)} ≠ statement ${s.number - 1}'s cumulative ${m(previous)}`);
    if (!s.cumulativeTotal.equals(s.previousCumulativeTotal.plus(s.total).plus(corrections))) {
      out.push(`statement ${s.number}: cumulativeTotal ${m(s.cumulativeTotal)} ≠ previousCumulativeTotal ${m(s.previousCumulativeTotal)} + total ${m(s.total)} + corrections ${m(corrections)}`);
    }
    running = running.plus(lines).plus(corrections);
    if (!s.cumulativeTotal.equals(running)) out.push(`statement ${s.number}: cumulativeTotal ${m(s.cumulativeTotal)} ≠ sum of every line and correction of statements 1..${s.number}, ${m(running)}`);
    if (s.number !== state.statements.indexOf(s) + 1) out.push(`statement numbered ${s.number} at position ${state.statements.indexOf(s) + 1}`);
    for (const line of s.lines) {
      if (listed.has(line.expenseId)) out.push(`statement ${s.number} lists ${line.expenseId} again (statement ${listed.get(line.expenseId)} did)`);
      listed.set(line.expenseId, s.number);
    }
    for (const c of s.corrections) {
      const expense = state.expenses.get(c.expenseId);
      if (listed.get(c.expenseId) !== c.listedOn || c.listedOn >= s.number) out.push(`statement ${s.number} corrects ${c.expenseId} as listed on ${c.listedOn}, which it was not`);
      if (corrected.has(c.expenseId)) out.push(`statement ${s.number} corrects ${c.expenseId} twice`);
      corrected.add(c.expenseId);
      if (!expense?.rejection || expense.rejection.on !== c.rejectedOn) out.push(`statement ${s.number} corrects ${c.expenseId}, whose rejection is ${expense?.rejection?.on ?? 'none'}, not ${c.rejectedOn}`);
      if (!expense || !signed(c.amount).equals(expense.amount.negated())) out.push(`statement ${s.number}: correction of ${c.expenseId} is ${c.amount}, not minus its amount`);
      if (s.drawnUpOn < c.rejectedOn) out.push(`statement ${s.number} drawn up on ${s.drawnUpOn} corrects a rejection of ${c.rejectedOn}`);
    }
    if (s.drawnUpOn < s.cutoff) out.push(`statement ${s.number} drawn up on ${s.drawnUpOn}, before its cutoff ${s.cutoff}`);
  }
  return out;
}

/** Invariants of the state now and at every date that matters. `dates`: the business dates of its facts so far. */
export function stateViolations(state: RegisteredConvention, factDates: readonly BusinessDate[]): string[] {
  const out: string[] = [];
  const facts = ledgerFactsOf(state);
  const now = figuresAsOf(facts);
  out.push(...figuresViolations(state, now, undefined).map((v) => `now: ${v}`));
  for (const date of datesThatMatter(factDates)) {
    out.push(...figuresViolations(state, figuresAsOf(facts, date), date).map((v) => `as of ${date}: ${v}`));
  }

  // The domain state agrees with the figures now.
  if (state.status !== now.status) out.push(`state status ${state.status}, figures status now ${now.status}`);
  if ((state.status === 'settled') !== (state.settledOn !== undefined)) out.push(`status ${state.status} with settledOn ${state.settledOn ?? 'absent'}`);
  if (!state.received.equals(now.received)) out.push(`state received ${m(state.received)}, figures received ${m(now.received)}`);

  // Now, every fact is known: nothing is given back beyond what is due (R1), and once settled the
  // funder paid, net of what came back, exactly the participation (C1, X1, R1, R2).
  if (now.restitution.paid.greaterThan(now.restitution.due)) out.push(`now: restitution paid ${m(now.restitution.paid)} > due ${m(now.restitution.due)} (R1)`);
  if (now.status === 'settled') {
    const net = now.received.plus(now.owedToBeneficiary.paid).minus(now.restitution.paid);
    if (!now.participation || !net.equals(now.participation)) {
      out.push(`settled, but received ${m(now.received)} + settlement payments ${m(now.owedToBeneficiary.paid)} − restitutions ${m(now.restitution.paid)} = ${m(net)} ≠ participation ${now.participation ? m(now.participation) : 'absent'}`);
    }
  }

  // "Now" is "as of the end of time": as of the latest fact date, and any later day, the figures are those of now.
  const latest = factDates.at(-1);
  if (latest) {
    const expected = JSON.stringify(figuresText(now));
    for (const date of [latest, addDays(latest, 1), '9999-12-31']) {
      const then = JSON.stringify(figuresText(figuresAsOf(facts, date)));
      if (then !== expected) out.push(`as of ${date} (after every fact) the figures differ from now: ${then} ≠ ${expected}`);
    }
  }

  // R1: a settled convention stays settled in every `asOf` view from its settlement date on.
  if (state.status === 'settled' && state.settledOn) {
    for (const date of [state.settledOn, ...factDates.filter((d) => d > state.settledOn!)]) {
      const status = figuresAsOf(facts, date).status;
      if (status !== 'settled') out.push(`settled on ${state.settledOn}, but as of ${date} the status is ${status}`);
    }
  }

  out.push(...statementViolations(state));
  return out;
}

/** Invariants of one decision: what its events say against the states before and after it. */
export function stepViolations(before: ConventionState, decided: Decided, after: RegisteredConvention): string[] {
  const out: string[] = [];
  const figuresAfter = figuresAsOf(ledgerFactsOf(after));
  if (before !== null) out.push(...moneyFlowViolations(before, decided, figuresAsOf(ledgerFactsOf(before)), figuresAfter));
  for (const e of decided.events) {
    if (e.type === 'StatementDrawnUp' && before !== null) {
      // D1: the cumulative total is the consumption at the cutoff, as known the day it was drawn up.
      const { cutoff, drawnUpOn } = e.data;
      const consumption = sum([...before.expenses.values()]
        .filter((x) => x.paidOn !== undefined && x.paidOn <= cutoff && x.acceptedOn !== undefined && x.acceptedOn <= drawnUpOn
          && !(x.rejection && x.rejection.on <= drawnUpOn))
        .map((x) => x.amount));
      if (!money(e.data.cumulativeTotal).equals(consumption)) {
        out.push(`statement ${e.data.number} (cutoff ${cutoff}, drawn up ${drawnUpOn}): cumulativeTotal ${e.data.cumulativeTotal} ≠ consumption at the cutoff as known that day, ${m(consumption)} (D1)`);
      }
    }
    if (e.type === 'ConventionClosed' || e.type === 'ConventionTerminated') {
      // The figures recorded as evidence are the figures right after the decision.
      const evidence = {
        participation: e.data.participation, received: e.data.received, restitutionDue: e.data.restitutionDue,
        owedToBeneficiary: e.data.owedToBeneficiary, lapsedTranches: e.data.lapsedTranches,
      };
      const actual = {
        participation: figuresAfter.participation ? m(figuresAfter.participation) : undefined, received: m(figuresAfter.received),
        restitutionDue: m(figuresAfter.restitution.due), owedToBeneficiary: m(figuresAfter.owedToBeneficiary.due),
        lapsedTranches: figuresAfter.tranches.filter((t) => t.status === 'lapsed').map((t) => t.number),
      };
      if (JSON.stringify(evidence) !== JSON.stringify(actual)) out.push(`${e.type} records ${JSON.stringify(evidence)}, the figures then are ${JSON.stringify(actual)}`);
    }
    if (e.type === 'ConventionSettled' && figuresAfter.status !== 'settled') out.push(`ConventionSettled recorded, figures say ${figuresAfter.status}`);
    if (e.type === 'SettlementReopened' && (before?.status !== 'settled' || figuresAfter.status === 'settled')) {
      out.push(`SettlementReopened recorded: before ${before?.status}, figures after ${figuresAfter.status}`);
    }
  }
  return out;
}

/**
 * How one command may move the figures now (rules P1, R1, R2, E3, X1, C1), read from the rule
 * texts rather than from the formulas: a payment moves its own total by its amount and nothing
 * else; a late rejection never raises the participation; an expense served after a termination's
 * effect never counts in it.
 */
function moneyFlowViolations(before: RegisteredConvention, decided: Decided, fb: Figures, fa: Figures): string[] {
  const out: string[] = [];
  const command = decided.command;
  const delta = (pick: (f: Figures) => Money) => pick(fa).minus(pick(fb));
  const participation = (f: Figures) => f.participation ?? ZERO;
  const same = (what: string, pick: (f: Figures) => Money) => {
    if (!delta(pick).isZero()) out.push(`${command.type} moved ${what} by ${m(delta(pick))}`);
  };
  const by = (what: string, pick: (f: Figures) => Money, amount: Money) => {
    if (!delta(pick).equals(amount)) out.push(`${command.type} of ${m(amount)} moved ${what} by ${m(delta(pick))}`);
  };
  const ended = before.status === 'closed' || before.status === 'terminated' || before.status === 'settled';
  switch (command.type) {
    case 'PayTranche':
      by('received', (f) => f.received, command.amount);
      same('settlement payments', (f) => f.owedToBeneficiary.paid);
      same('restitutions', (f) => f.restitution.paid);
      break;
    case 'PaySettlement':
      by('settlement payments', (f) => f.owedToBeneficiary.paid, command.amount);
      same('received', (f) => f.received);
      same('participation', participation);
      same('restitutions', (f) => f.restitution.paid);
      break;
    case 'PayRestitution':
      by('restitutions paid', (f) => f.restitution.paid, command.amount);
      same('restitution due', (f) => f.restitution.due);
      same('participation', participation);
      same('received', (f) => f.received);
      break;
    case 'CommitExpense':
      by('committed', (f) => f.committed, command.amount);
      same('consumed', (f) => f.consumed);
      break;
    case 'RejectExpense': {
      const expense = before.expenses.get(command.expenseId)!;
      by('rejected', (f) => f.rejected, expense.amount);
      if (delta((f) => f.committed).greaterThan(0) || delta((f) => f.consumed).greaterThan(0)) out.push('a rejection raised committed or consumed (E3)');
      if (ended) {
        if (delta(participation).greaterThan(0)) out.push(`a late rejection raised the participation by ${m(delta(participation))} (E3)`);
        if (delta((f) => f.restitution.due).isNegative()) out.push(`a late rejection lowered the restitution due by ${m(delta((f) => f.restitution.due).negated())} (E3)`);
        same('received', (f) => f.received);
      }
      break;
    }
    case 'RecordServiceDone': case 'RecordExpensePayment': case 'AcceptExpense': {
      const expense = before.expenses.get(command.expenseId)!;
      same('committed', (f) => f.committed);
      if (ended) {
        // X1: only expenses served by the effect date count in a terminated convention's participation.
        const effect = before.termination?.effectiveOn;
        const servedOn = command.type === 'RecordServiceDone' ? command.on : expense.serviceDoneOn;
        const counts = command.type === 'AcceptExpense' && effect !== undefined && servedOn !== undefined && servedOn <= effect;
        if (!counts) same('participation', participation);
        else if (delta(participation).isNegative() || delta(participation).greaterThan(expense.amount)) {
          out.push(`accepting ${expense.expenseId} (${m(expense.amount)}, served ${servedOn}, effect ${effect}) moved the participation by ${m(delta(participation))} (X1)`);
        }
      }
      break;
    }
    default:
      break;
  }
  return out;
}

export interface InvariantReport {
  violations: string[];
  /** Steps checked, and dates at which figures were checked (for the report's timings). */
  steps: number;
  datesChecked: number;
}

/**
 * Replays a scenario's accepted commands in order and checks every invariant after EVERY step,
 * on the convention it changed, at every date that matters so far. Stops collecting after
 * `limit` violations (the first ones are the useful ones).
 */
export function checkScenario(scenario: Scenario, limit = 20): InvariantReport {
  const states = new Map<string, ConventionState>();
  const dates = new Map<string, Set<BusinessDate>>();
  const violations: string[] = [];
  let datesChecked = 0;
  scenario.log.forEach((decided, index) => {
    if (violations.length >= limit) return;
    const before = states.get(decided.conventionId) ?? null;
    let after: ConventionState = before;
    for (const e of decided.events) after = evolve(after, e);
    states.set(decided.conventionId, after);
    const known = dates.get(decided.conventionId) ?? new Set<BusinessDate>();
    for (const e of decided.events) datesIn((e as ConventionEvent).data, known);
    dates.set(decided.conventionId, known);
    if (after === null) return;
    const factDates = [...known].sort();
    datesChecked += 2 * factDates.length;
    const where = `seed ${scenario.seed}, step ${index} (${decided.conventionId}, ${decided.command.type} ${JSON.stringify(decided.command)})`;
    for (const v of [...stepViolations(before, decided, after), ...stateViolations(after, factDates)]) violations.push(`${where}: ${v}`);
  });
  return { violations: violations.slice(0, limit), steps: scenario.log.length, datesChecked };
}
