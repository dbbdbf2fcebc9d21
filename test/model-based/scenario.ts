import Decimal from 'decimal.js';
import {
  type BusinessDate, type ConventionCommand, type ConventionEvent, type ConventionState, type Money, type RegisteredConvention,
  type TrancheRequest, DomainError, ZERO, committed, consumed, decide, evolve, isStatementValid, lastSignatureOn, restitutionOutstanding, sum,
} from '@cl/domain';
import { SEED_BENEFICIARY, SEED_FUNDER } from '../../libs/domain/testing/seed-convention';
import { INVALID_DATES, Random, addDays, maxDateOf } from './random';

export interface Actor {
  subject: string;
  roles: string[];
}

const FUNDER: Actor = { subject: 'funder@anct', roles: ['funder'] };
const BENEFICIARY: Actor = { subject: 'finance@dinum', roles: ['beneficiary'] };
const ACCOUNTANT: Actor = { subject: 'accountant@cbcm', roles: ['public-accountant'] };
const OFFICER: Actor = { subject: 'officer@dinum', roles: ['authorizing-officer'] };

/** One accepted command: what the executor would append to the convention's stream. */
export interface Decided {
  conventionId: string;
  command: ConventionCommand;
  events: ConventionEvent[];
  actor: Actor;
}

export interface Scenario {
  seed: number;
  /** Accepted commands in the order they were decided, all conventions interleaved. */
  log: Decided[];
  /** Each convention's events and final state, as the write side knows them. */
  conventions: Map<string, { events: ConventionEvent[]; state: RegisteredConvention }>;
  attempted: number;
  accepted: number;
  refusals: Map<string, number>;
  /** Commands a DomainError did not explain (decide must throw nothing else). */
  crashes: string[];
}

type Plan = 'close' | 'terminate' | 'wander';

const CATEGORY_SETS: readonly string[][] = [['devops', 'design', 'deployment', 'coaching'], []];

/**
 * Drives one convention with random, mostly plausible commands. Every command goes through
 * the real decide() on the current state; refusals are counted and skipped, accepted events are
 * folded with the real evolve(). Arguments are drawn from the state so that most commands pass,
 * with a share of deliberate mistakes (wrong order, dates out of range or invalid, overpayment).
 */
class ConventionDriver {
  state: ConventionState = null;
  readonly events: ConventionEvent[] = [];
  private clock: BusinessDate;
  private sequence = 0;
  private readonly plan: Plan;
  private readonly budget: number;
  used = 0;

  constructor(private readonly rng: Random, readonly conventionId: string, private readonly scenario: Scenario) {
    this.clock = addDays('2019-01-01', rng.int(0, 5 * 365));
    this.plan = rng.weighted<Plan>({ close: 4, terminate: 3, wander: 3 });
    this.budget = rng.int(35, 80);
  }

  get done(): boolean {
    return this.used >= this.budget;
  }

  step(): void {
    this.used += 1;
    const state = this.state;
    if (state === null) return this.register();
    if (state.status === 'draft') return this.sign(state);
    if (state.status === 'active') return this.activeStep(state);
    return this.endedStep(state);
  }

  // ---- dates ----

  private nextId(prefix: string): string {
    this.sequence += 1;
    return `${prefix}-${this.sequence}`;
  }

  /** Mostly moves forward from the last date used; sometimes anywhere, earlier or invalid. */
  private date(): BusinessDate {
    const roll = this.rng.next();
    if (roll < 0.04) return this.rng.pick(INVALID_DATES);
    if (roll < 0.12) {
      const state = this.state;
      const from = state?.effectiveOn ?? this.clock;
      const to = state?.endsOn ?? addDays(this.clock, 90);
      return addDays(from, this.rng.int(-30, Math.max(0, daysSpan(from, to)) + 45));
    }
    if (roll < 0.18) return addDays(this.clock, -this.rng.int(1, 60));
    const endsOn = this.state?.status === 'active' ? this.state.endsOn : undefined;
    if (endsOn && this.clock > endsOn && this.rng.chance(0.8)) {
      // Most of the story happens inside the period of effect (E2); step back into it.
      this.clock = addDays(this.state!.effectiveOn!, this.rng.int(0, daysSpan(this.state!.effectiveOn!, endsOn)));
    }
    this.clock = addDays(this.clock, this.rng.int(0, 8));
    return this.clock;
  }

  /** A date at or after `after` (mostly soon after), sometimes before it on purpose. */
  private dateAfter(after: BusinessDate, maxDays = 30): BusinessDate {
    const roll = this.rng.next();
    if (roll < 0.03) return this.rng.pick(INVALID_DATES);
    if (roll < 0.09) return addDays(after, -this.rng.int(1, 20));
    const date = addDays(after, this.rng.int(0, maxDays));
    if (date > this.clock) this.clock = date;
    return date;
  }

  // ---- deciding ----

  private attempt(command: ConventionCommand, actor: Actor): boolean {
    this.scenario.attempted += 1;
    let events: ConventionEvent[];
    try {
      events = decide(command, this.state);
    } catch (error) {
      if (error instanceof DomainError) {
        this.scenario.refusals.set(error.code, (this.scenario.refusals.get(error.code) ?? 0) + 1);
      } else {
        this.scenario.crashes.push(`${command.type}: ${String(error)}`);
      }
      return false;
    }
    this.scenario.accepted += 1;
    for (const e of events) this.state = evolve(this.state, e);
    this.events.push(...events);
    this.scenario.log.push({ conventionId: this.conventionId, command, events, actor });
    return true;
  }

  // ---- draft ----

  private register(): void {
    const rng = this.rng;
    const ceiling = Decimal.max(new Decimal('100.00'), rng.moneyFromParts(rng.pick([5_000, 200_000, 2_000_000])));
    const count = rng.int(1, 4);
    const cuts = new Set<string>();
    while (cuts.size < count - 1) cuts.add(rng.moneyBetween(new Decimal('0.01'), ceiling.minus('0.01')).toFixed(2));
    const bounds = [ZERO, ...[...cuts].map((c) => new Decimal(c)).sort((a, b) => a.comparedTo(b)), ceiling];
    const amounts = bounds.slice(1).map((bound, i) => bound.minus(bounds[i]));
    const atSignature = rng.int(0, count);
    const tranches: TrancheRequest[] = [];
    let previousThreshold = ZERO;
    let cumulative = ZERO;
    amounts.forEach((amount, i) => {
      if (i < atSignature) {
        tranches.push({ amount, release: { on: 'signature' } });
      } else {
        // Plausible thresholds: a share of what was released before, kept strictly increasing.
        // Low enough that random consumption reaches them: fund calls must happen (F1).
        const target = cumulative.isZero() ? rng.moneyBetween(new Decimal('0.01'), ceiling.dividedBy(12).toDecimalPlaces(2, Decimal.ROUND_DOWN))
          : rng.moneyBetween(cumulative.times('0.1').toDecimalPlaces(2, Decimal.ROUND_DOWN), cumulative.times('0.5').toDecimalPlaces(2, Decimal.ROUND_DOWN));
        const threshold = Decimal.min(ceiling, Decimal.max(target, previousThreshold.plus('0.01')));
        previousThreshold = threshold;
        tranches.push({ amount, release: { on: 'consumption', threshold } });
      }
      cumulative = cumulative.plus(amount);
    });
    if (rng.chance(0.05)) tranches[0] = { ...tranches[0], amount: tranches[0].amount.plus('1.00') }; // T3: wrong sum
    this.attempt({
      type: 'RegisterConvention', conventionId: this.conventionId, reference: `MB-${this.conventionId}`,
      title: `Model-based convention ${this.conventionId}`, funder: structuredClone(SEED_FUNDER), beneficiary: structuredClone(SEED_BENEFICIARY),
      ceiling, durationMonths: rng.int(1, 24), tranches, expenseCategories: [...rng.pick(CATEGORY_SETS)],
    }, FUNDER);
  }

  private sign(state: RegisteredConvention): void {
    const party = this.rng.chance(0.85)
      ? (state.signatures.funder ? 'beneficiary' : 'funder')
      : this.rng.pick(['funder', 'beneficiary'] as const);
    const actor = party === 'funder' ? FUNDER : BENEFICIARY;
    this.attempt({ type: 'SignConvention', party, signatory: `${party} representative`, signedOn: this.date() }, actor);
  }

  // ---- active ----

  private activeStep(state: RegisteredConvention): void {
    const rng = this.rng;
    const windingDown = this.budget - this.used < 12;
    if (windingDown && this.plan === 'close') return this.windDownToClosure(state);
    if (this.plan === 'terminate' && (windingDown || rng.chance(0.02))) return this.terminate();
    const action = rng.weighted({
      commit: 18, serviceDone: 12, pay: 12, accept: 12, reject: 3, statement: 6, signStatement: 8, fundCall: 9,
      payTranche: 10, amend: 2, close: 1, terminate: 0.5, restitution: 0.5,
    });
    switch (action) {
      case 'commit': return this.commit(state);
      case 'serviceDone': return this.expenseStep(state, 'committed');
      case 'pay': return this.expenseStep(state, 'service-done');
      case 'accept': return this.expenseStep(state, 'paid');
      case 'reject': return this.reject(state);
      case 'statement': return this.drawUpStatement(state, rng.chance(0.1));
      case 'signStatement': this.signStatement(state); return;
      case 'fundCall': return this.fundCall(state);
      case 'payTranche': return this.payTranche(state);
      case 'amend': return this.amend(state);
      case 'close': return this.close(state);
      case 'terminate': return this.terminate();
      case 'restitution': return this.restitution(state);
    }
  }

  private commit(state: RegisteredConvention): void {
    const rng = this.rng;
    const room = state.ceiling.minus(committed(state));
    const amount = room.greaterThan('0.01') && rng.chance(0.9)
      ? rng.moneyBetween(new Decimal('0.01'), Decimal.min(room, state.ceiling.dividedBy(rng.pick([3, 6, 12])).toDecimalPlaces(2, Decimal.ROUND_DOWN).plus('0.01')))
      : rng.moneyFromParts(50_000);
    const categories = state.expenseCategories.length > 0 ? state.expenseCategories : ['anything'];
    const category = rng.chance(0.05) ? 'hors-champ' : rng.pick(categories);
    this.attempt({
      type: 'CommitExpense', expenseId: this.nextId('e'), category, description: `${category} work`, amount,
      committedOn: this.date(), ...(rng.chance(0.3) ? { contract: `MARCHE-${rng.int(1, 9)}` } : {}),
    }, BENEFICIARY);
  }

  private expenseStep(state: RegisteredConvention, from: 'committed' | 'service-done' | 'paid'): void {
    const expenses = [...state.expenses.values()];
    if (expenses.length === 0) return this.commit(state);
    const candidates = expenses.filter((e) => e.step === from && !e.rejection);
    if (candidates.length === 0 && this.rng.chance(0.8)) return this.commit(state);
    const expense = candidates.length > 0 && this.rng.chance(0.95) ? this.rng.pick(candidates) : this.rng.pick(expenses);
    const previous = expense.acceptedOn ?? expense.paidOn ?? expense.serviceDoneOn ?? expense.committedOn;
    if (from === 'committed') {
      this.attempt({ type: 'RecordServiceDone', expenseId: expense.expenseId, on: this.dateAfter(previous) }, BENEFICIARY);
    } else if (from === 'service-done') {
      this.attempt({ type: 'RecordExpensePayment', expenseId: expense.expenseId, paidOn: this.dateAfter(previous) }, BENEFICIARY);
    } else {
      // E2 decision: acceptance may come after the period end.
      this.attempt({ type: 'AcceptExpense', expenseId: expense.expenseId, on: this.dateAfter(previous, 60) }, ACCOUNTANT);
    }
  }

  private reject(state: RegisteredConvention): void {
    const expenses = [...state.expenses.values()];
    if (expenses.length === 0) return;
    const live = expenses.filter((e) => !e.rejection);
    const expense = live.length > 0 && this.rng.chance(0.95) ? this.rng.pick(live) : this.rng.pick(expenses);
    const after = this.rng.chance(0.5) ? expense.committedOn : maxDateOf([expense.committedOn, this.clock]);
    this.attempt({
      type: 'RejectExpense', expenseId: expense.expenseId, on: this.dateAfter(after, 40), reason: 'ineligible',
    }, this.rng.chance(0.5) ? ACCOUNTANT : FUNDER);
  }

  private drawUpStatement(state: RegisteredConvention, final: boolean, cutoff?: BusinessDate): void {
    const previous = state.statements.at(-1)?.cutoff;
    const date = cutoff ?? (previous && this.rng.chance(0.8) ? this.dateAfter(addDays(previous, 1), 60) : this.date());
    this.attempt({ type: 'DrawUpStatement', cutoff: date, final }, BENEFICIARY);
  }

  private signStatement(state: RegisteredConvention): boolean {
    if (state.statements.length === 0 && this.rng.chance(0.9)) {
      this.drawUpStatement(state, false);
      return false;
    }
    const statement = state.statements.length > 0 && this.rng.chance(0.9) ? state.statements.at(-1)! : undefined;
    const number = statement?.number ?? this.rng.int(1, state.statements.length + 1);
    const signed = new Set(statement?.signatures.map((s) => s.as) ?? []);
    const as = !signed.has('authorizing-officer') ? 'authorizing-officer' as const
      : !signed.has('public-accountant') || this.rng.chance(0.1) ? 'public-accountant' as const : 'authorizing-officer' as const;
    const actor = as === 'authorizing-officer' ? OFFICER : ACCOUNTANT;
    // D2: one person in both roles is refused; try it now and then.
    const subject = this.rng.chance(0.05) ? OFFICER.subject : actor.subject;
    return this.attempt({
      type: 'SignStatement', number, as, signatory: `${as} ${subject}`, subject,
      signedOn: this.dateAfter(statement?.cutoff ?? this.clock, 10),
    }, actor);
  }

  private fundCall(state: RegisteredConvention): void {
    const tranche = state.tranches.find((t) => t.dueOn === undefined) ?? this.rng.pick(state.tranches);
    const statement = state.statements.at(-1);
    // Steer towards F1's successful path: a call needs a statement whose cumulative reaches the
    // threshold, and that needs enough accepted expenses. Most of the time prepare what is
    // missing; now and then call anyway, to exercise THRESHOLD_NOT_REACHED.
    const threshold = tranche.release.on === 'consumption' ? tranche.release.threshold : undefined;
    const canDrawUp = state.status === 'active' && !state.statements.some((drawn) => drawn.final);
    if (threshold && canDrawUp && this.rng.chance(0.6) && !(statement && statement.cumulativeTotal.greaterThanOrEqualTo(threshold))) {
      if (consumed(state).greaterThanOrEqualTo(threshold)) return this.drawUpStatement(state, false);
      return this.rng.chance(0.5) ? this.expenseStep(state, 'paid') : this.commit(state);
    }
    if (statement && !isStatementValid(statement) && this.rng.chance(0.8)) {
      this.signStatement(state);
      return;
    }
    const number = statement?.number ?? 1;
    const after = statement ? lastSignatureOn(statement) ?? statement.cutoff : this.clock;
    this.attempt({ type: 'IssueFundCall', tranche: tranche.number, statement: number, issuedOn: this.dateAfter(after, 15) }, BENEFICIARY);
  }

  private payTranche(state: RegisteredConvention): void {
    const rng = this.rng;
    const owing = state.status === 'terminated';
    const open = state.tranches.filter((t) => (owing || t.dueOn !== undefined) && t.paid.lessThan(t.amount));
    if (open.length === 0 && state.status === 'active' && rng.chance(0.85)) return this.fundCall(state);
    const tranche = open.length > 0 && rng.chance(0.95) ? rng.pick(open) : rng.pick(state.tranches);
    const remaining = tranche.amount.minus(tranche.paid);
    const cap = owing ? Decimal.min(remaining, state.owedToBeneficiary) : remaining;
    let amount: Money;
    if (rng.chance(0.05) || !cap.greaterThan(0)) amount = cap.plus(rng.moneyFromParts(100)); // P1: beyond what is allowed
    else if (rng.chance(0.55)) amount = cap;
    else amount = rng.moneyBetween(new Decimal('0.01'), cap);
    const after = owing ? state.termination!.on : tranche.dueOn ?? this.clock;
    this.attempt({
      type: 'PayTranche', paymentId: this.nextId('pay'), tranche: tranche.number, amount, paidOn: this.dateAfter(after, 40),
      ...(rng.chance(0.5) ? { reference: `VIR-${this.sequence}` } : {}),
    }, FUNDER);
  }

  private amend(state: RegisteredConvention): void {
    const rng = this.rng;
    const floor = Decimal.max(state.received, committed(state));
    const changes: { ceiling?: Money; durationMonths?: number; tranches?: TrancheRequest[] } = {};
    const due = state.tranches.filter((t) => t.dueOn !== undefined);
    const dueTotal = sum(due.map((t) => t.amount));
    let ceiling = state.ceiling;
    if (rng.chance(0.6)) {
      ceiling = Decimal.max(floor, dueTotal).plus(rng.moneyFromParts(rng.pick([100, 50_000, 500_000])));
      if (rng.chance(0.05)) ceiling = floor.minus('0.01'); // A2: below what is received or committed
      changes.ceiling = ceiling;
    }
    if (rng.chance(0.4)) changes.durationMonths = rng.int(1, 30);
    if (changes.ceiling !== undefined || rng.chance(0.5)) {
      const left = ceiling.minus(dueTotal);
      const pending: TrancheRequest[] = [];
      if (left.greaterThan(0)) {
        const parts = left.greaterThan('0.02') && rng.chance(0.5) ? 2 : 1;
        const first = parts === 2 ? rng.moneyBetween(new Decimal('0.01'), left.minus('0.01')) : left;
        const amounts = parts === 2 ? [first, left.minus(first)] : [first];
        const lastThreshold = due.map((t) => (t.release.on === 'consumption' ? t.release.threshold : ZERO))
          .reduce((a, b) => Decimal.max(a, b), ZERO);
        let previous = lastThreshold;
        amounts.forEach((amount, i) => {
          if (i === 0 && rng.chance(0.3)) {
            pending.push({ amount, release: { on: 'signature' } });
          } else {
            const threshold = Decimal.min(ceiling, rng.moneyBetween(previous.plus('0.01'), Decimal.max(previous.plus('0.01'), ceiling)));
            previous = threshold;
            pending.push({ amount, release: { on: 'consumption', threshold } });
          }
        });
      }
      changes.tranches = pending;
    }
    this.attempt({
      type: 'AmendConvention', signedOn: this.date(), signatories: { funder: 'funder representative', beneficiary: 'beneficiary representative' },
      changes,
    }, FUNDER);
  }

  private close(state: RegisteredConvention): void {
    const final = state.statements.at(-1);
    const number = final?.number ?? 1;
    this.attempt({ type: 'CloseConvention', on: this.dateAfter(final?.cutoff ?? this.clock, 20), statement: number }, FUNDER);
  }

  /** Accept what is paid, draw up a final statement covering it, sign it, close. */
  private windDownToClosure(state: RegisteredConvention): void {
    const paid = [...state.expenses.values()].filter((e) => e.step === 'paid' && !e.rejection);
    if (paid.length > 0 && this.rng.chance(0.8)) {
      const expense = paid[0];
      this.attempt({ type: 'AcceptExpense', expenseId: expense.expenseId, on: addDays(expense.paidOn!, this.rng.int(0, 10)) }, ACCOUNTANT);
      return;
    }
    const last = state.statements.at(-1);
    if (!last?.final) {
      const paidDates = [...state.expenses.values()].filter((e) => e.paidOn).map((e) => e.paidOn!);
      const cutoff = maxDateOf([...paidDates, last ? addDays(last.cutoff, 1) : state.effectiveOn!, state.effectiveOn!]);
      return this.drawUpStatement(state, true, cutoff);
    }
    if (!isStatementValid(last)) {
      this.signStatement(state);
      return;
    }
    this.close(state);
  }

  private terminate(): void {
    this.attempt({
      type: 'TerminateConvention', on: this.date(), reason: 'fault', atFault: this.rng.pick(['funder', 'beneficiary'] as const),
    }, FUNDER);
  }

  // ---- closed, terminated, settled ----

  private endedStep(state: RegisteredConvention): void {
    const rng = this.rng;
    // Once settled, one stray command (refused) and the convention's story is over.
    if (state.status === 'settled') {
      this.used = this.budget;
      return this.strayCommand(state);
    }
    const outstanding = restitutionOutstanding(state).greaterThan(0);
    const owed = state.owedToBeneficiary.greaterThan(0);
    const action = rng.weighted({
      restitution: outstanding ? 8 : 0.3, payTranche: owed ? 8 : 0.3, reject: state.status === 'terminated' ? 2 : 0.2, stray: 0.5,
    });
    if (action === 'restitution') return this.restitution(state);
    if (action === 'reject') return this.reject(state);
    if (action === 'payTranche') return this.payTranche(state);
    return this.strayCommand(state);
  }

  /** Anything else must be refused on an ended convention. */
  private strayCommand(state: RegisteredConvention): void {
    const choice = this.rng.int(0, 4);
    if (choice === 0) return this.commit(state);
    if (choice === 1) return this.drawUpStatement(state, false);
    if (choice === 2) return this.amend(state);
    if (choice === 3) return this.restitution(state);
    return this.terminate();
  }

  private restitution(state: RegisteredConvention): void {
    const rng = this.rng;
    const outstanding = restitutionOutstanding(state);
    let amount: Money;
    if (!outstanding.greaterThan(0) || rng.chance(0.05)) amount = outstanding.plus(rng.moneyFromParts(100));
    else if (rng.chance(0.5)) amount = outstanding;
    else amount = rng.moneyBetween(new Decimal('0.01'), outstanding);
    // R1: not before the facts the restitution due rests on (payments, rejections after X1).
    const rejections = [...state.expenses.values()].flatMap((e) => (e.rejection ? [e.rejection.on] : []));
    const ended = state.closure?.on ?? (state.termination
      ? maxDateOf([state.termination.on, ...state.payments.map((p) => p.paidOn), ...rejections]) : this.clock);
    this.attempt({ type: 'PayRestitution', restitutionId: this.nextId('rest'), amount, paidOn: this.dateAfter(ended, 60) }, BENEFICIARY);
  }
}

const daysSpan = (from: BusinessDate, to: BusinessDate) =>
  Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);

/** Several conventions driven in parallel, their commands interleaved at random. */
export function generateScenario(seed: number, conventionsCount = 3): Scenario {
  const rng = new Random(seed);
  const scenario: Scenario = {
    seed, log: [], conventions: new Map(), attempted: 0, accepted: 0, refusals: new Map(), crashes: [],
  };
  const drivers = Array.from({ length: conventionsCount }, (_, i) => new ConventionDriver(rng, `mb-${seed}-${i + 1}`, scenario));
  for (;;) {
    const running = drivers.filter((d) => !d.done);
    if (running.length === 0) break;
    rng.pick(running).step();
  }
  for (const driver of drivers) {
    if (driver.state !== null) scenario.conventions.set(driver.conventionId, { events: driver.events, state: driver.state });
  }
  return scenario;
}
