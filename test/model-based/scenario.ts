import Decimal from 'decimal.js';
import {
  type BusinessDate, type ConventionCommand, type ConventionEvent, type ConventionState, type ConventionStatus, type ExpenseState, type Money,
  type PartyRole, type RegisteredConvention, type StatementState, type TrancheRequest, DomainError, ZERO, committed, consumed, decide, evolve,
  figuresFinalOn, figuresOf, isBusinessDate, isStatementValid, lastSignatureOn, sum, termsInForceOn,
} from '@cl/domain';
import type { Figures } from '@cl/domain/figures';
import { SEED_BENEFICIARY, SEED_FUNDER } from '../../libs/domain/testing/seed-convention';
import { factDatesOf, latestDateOf } from './facts';
import { randomBankAccount, randomSiret } from './identifiers';
import { INVALID_DATES, Random, addDays, daysBetween, maxDateOf } from './random';

/**
 * The day every command of every scenario is decided on (M4: no business date after it). Fixed,
 * and after every date the scenarios draw on purpose; a few dates are drawn after it, on
 * purpose too, to exercise DATE_IN_FUTURE.
 */
export const TODAY: BusinessDate = '2030-06-30';

export interface Actor {
  subject: string;
  roles: string[];
}

const FUNDER: Actor = { subject: 'funder@anct', roles: ['funder'] };
const BENEFICIARY: Actor = { subject: 'finance@dinum', roles: ['beneficiary'] };
const ACCOUNTANT: Actor = { subject: 'accountant@cbcm', roles: ['public-accountant'] };
const OFFICER: Actor = { subject: 'officer@dinum', roles: ['authorizing-officer'] };
const ACTOR_OF_PARTY: Record<PartyRole, Actor> = { funder: FUNDER, beneficiary: BENEFICIARY };

const SIGNATORY = { 'authorizing-officer': 'Agnès Ordonnatrice', 'public-accountant': 'Paul Comptable' } as const;

/** One accepted command: what the executor would append to the convention's stream. */
export interface Decided {
  conventionId: string;
  command: ConventionCommand;
  events: ConventionEvent[];
  actor: Actor;
  /** The convention's status when the command was decided (null: not registered yet). */
  statusBefore: ConventionStatus | null;
  /** Whether its figures were provisional then (a terminated convention in liquidation, X1). */
  provisionalBefore: boolean;
  /** The same, right after the command. */
  provisionalAfter: boolean;
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
  /** The same by command: `CommitExpense:DATE_OUTSIDE_PERIOD`. */
  refusalsByCommand: Map<string, number>;
  /** Commands a DomainError did not explain (decide must throw nothing else). */
  crashes: string[];
}

type Plan = 'close' | 'terminate' | 'wander';

const CATEGORY_POOL = ['devops', 'design', 'deployment', 'coaching', 'hosting', 'training'] as const;
const CATEGORY_SETS: readonly string[][] = [['devops', 'design', 'deployment', 'coaching'], [], ['devops', 'hosting']];

const live = (state: RegisteredConvention) => [...state.expenses.values()].filter((e) => !e.rejection);
const isDue = (state: RegisteredConvention) => state.tranches.filter((t) => t.dueOn !== undefined);

/**
 * Drives one convention with random, mostly plausible commands. Every command goes through
 * the real decide() on the current state; refusals are counted and skipped, accepted events are
 * folded with the real evolve(). Arguments are drawn from the state (and its figures, to steer)
 * so that most commands pass, with a share of deliberate mistakes (wrong order, dates out of
 * range, invalid or in the future, overpayment, wrong identifiers).
 *
 * The story of a convention: registration, signatures, an active life (expenses, statements,
 * fund calls steered towards the thresholds, tranche payments, amendments), then by plan a
 * closure or a termination by either party, after which come the liquidation (X1), the final
 * statement, restitutions (R1) and settlement payments (R2), late rejections (E3) that may
 * unsettle a settled convention, and the payments that settle it again.
 */
class ConventionDriver {
  state: ConventionState = null;
  readonly events: ConventionEvent[] = [];
  private clock: BusinessDate;
  private sequence = 0;
  private readonly plan: Plan;
  /** Steps of the active life; after it, the plan's ending. */
  private readonly activeBudget: number;
  private budget: number;
  private endingStarted = false;
  /** How readily the funder pays due tranches: a slow payer leaves money owed at the end (R2). */
  private readonly payWeight: number;
  used = 0;

  constructor(
    private readonly rng: Random, readonly conventionId: string, private readonly scenario: Scenario, private readonly decideCommand: DecideCommand,
  ) {
    this.clock = addDays('2019-01-01', rng.int(0, 4 * 365));
    this.plan = rng.weighted<Plan>({ close: 4, terminate: 4, wander: 2 });
    this.activeBudget = rng.int(35, 80);
    this.budget = this.activeBudget + 30;
    this.payWeight = rng.pick([1, 4, 10]);
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
    if (!this.endingStarted) {
      // After the end: enough steps for liquidation, payments either way and late rejections.
      this.endingStarted = true;
      this.budget = this.used + this.rng.int(15, 35);
    }
    return this.endedStep(state);
  }

  // ---- dates ----

  private nextId(prefix: string): string {
    this.sequence += 1;
    return `${prefix}-${this.sequence}`;
  }

  private future(): BusinessDate {
    return addDays(TODAY, this.rng.int(1, 400));
  }

  /** Mostly moves forward from the last date used; sometimes anywhere, earlier, invalid or in the future. */
  private date(): BusinessDate {
    const roll = this.rng.next();
    if (roll < 0.03) return this.rng.pick(INVALID_DATES);
    if (roll < 0.04) return this.future();
    if (roll < 0.11) {
      const state = this.state;
      const from = state?.effectiveOn ?? this.clock;
      const to = state?.endsOn ?? addDays(this.clock, 90);
      return addDays(from, this.rng.int(-30, Math.max(0, daysBetween(from, to)) + 45));
    }
    if (roll < 0.17) return addDays(this.clock, -this.rng.int(1, 60));
    const state = this.state;
    if (state?.status === 'active' && state.endsOn && this.clock > state.endsOn && this.rng.chance(0.8)) {
      // Most of the story happens inside the period of effect (E2); step back into it.
      this.clock = addDays(state.effectiveOn!, this.rng.int(0, daysBetween(state.effectiveOn!, state.endsOn)));
    }
    this.clock = addDays(this.clock, this.rng.int(0, 8));
    return this.clock;
  }

  /** A date at or after `after` (mostly soon after), sometimes before it, invalid or in the future on purpose. */
  private dateAfter(after: BusinessDate, maxDays = 30): BusinessDate {
    const roll = this.rng.next();
    if (roll < 0.02) return this.rng.pick(INVALID_DATES);
    if (roll < 0.03) return this.future();
    if (roll < 0.08) return addDays(after, -this.rng.int(1, 20));
    const date = addDays(after, this.rng.int(0, maxDays));
    if (date > this.clock) this.clock = date;
    return date;
  }

  /** The latest business date of any fact recorded so far (C1: a closure is dated on or after it). */
  private latestFact(): BusinessDate {
    return latestDateOf(factDatesOf(this.events)) ?? this.clock;
  }

  private figures(state: RegisteredConvention): Figures {
    return figuresOf(state);
  }

  // ---- deciding ----

  private attempt(command: ConventionCommand, actor: Actor): boolean {
    this.scenario.attempted += 1;
    const before = this.state;
    let events: ConventionEvent[];
    try {
      events = this.decideCommand(command, before);
    } catch (error) {
      if (error instanceof DomainError) {
        this.scenario.refusals.set(error.code, (this.scenario.refusals.get(error.code) ?? 0) + 1);
        const key = `${command.type}:${error.code}`;
        this.scenario.refusalsByCommand.set(key, (this.scenario.refusalsByCommand.get(key) ?? 0) + 1);
      } else {
        this.scenario.crashes.push(`${this.conventionId} ${command.type}: ${error instanceof Error ? error.stack ?? error.message : String(error)}`);
      }
      return false;
    }
    this.scenario.accepted += 1;
    for (const e of events) this.state = evolve(this.state, e);
    this.events.push(...events);
    const provisional = (state: ConventionState) => state !== null && state.status === 'terminated' && figuresOf(state).provisional;
    this.scenario.log.push({
      conventionId: this.conventionId, command, events, actor,
      statusBefore: before?.status ?? null, provisionalBefore: provisional(before), provisionalAfter: provisional(this.state),
    });
    return true;
  }

  // ---- draft ----

  private register(): void {
    const rng = this.rng;
    const ceiling = Decimal.max(new Decimal('100.00'), rng.moneyFromParts(rng.pick([5_000, 200_000, 2_000_000])));
    // Several tranches, most of them released on consumption: fund calls are what F1 is about.
    const count = rng.int(1, 6);
    const cuts = new Set<string>();
    while (cuts.size < count - 1) cuts.add(rng.moneyBetween(new Decimal('0.01'), ceiling.minus('0.01')).toFixed(2));
    const bounds = [ZERO, ...[...cuts].map((c) => new Decimal(c)).sort((a, b) => a.comparedTo(b)), ceiling];
    const amounts = bounds.slice(1).map((bound, i) => bound.minus(bounds[i]));
    const atSignature = rng.chance(0.15) ? count : rng.int(0, Math.min(2, count - 1));
    const tranches: TrancheRequest[] = [];
    let previousThreshold = ZERO;
    let cumulative = ZERO;
    amounts.forEach((amount, i) => {
      if (i < atSignature) {
        tranches.push({ amount, release: { on: 'signature' } });
      } else {
        // Thresholds built around what consumption reaches: a small share of the ceiling for the
        // first, then a share of what was released before, strictly increasing (F1 must happen).
        const target = cumulative.isZero() ? rng.moneyBetween(new Decimal('0.01'), ceiling.dividedBy(12).toDecimalPlaces(2, Decimal.ROUND_DOWN))
          : rng.moneyBetween(cumulative.times('0.2').toDecimalPlaces(2, Decimal.ROUND_DOWN), cumulative.times('0.6').toDecimalPlaces(2, Decimal.ROUND_DOWN));
        const threshold = Decimal.min(ceiling, Decimal.max(target, previousThreshold.plus('0.01')));
        previousThreshold = threshold;
        tranches.push({ amount, release: { on: 'consumption', threshold } });
      }
      cumulative = cumulative.plus(amount);
    });
    if (rng.chance(0.04)) tranches[0] = { ...tranches[0], amount: tranches[0].amount.plus('1.00') }; // T3: wrong sum
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
    this.attempt({ type: 'SignConvention', party, signatory: `${party} representative`, signedOn: this.date() }, ACTOR_OF_PARTY[party]);
  }

  // ---- active ----

  private activeStep(state: RegisteredConvention): void {
    const rng = this.rng;
    const windingDown = this.used > this.activeBudget - 12;
    const halfway = this.used > this.activeBudget / 2;
    if (this.plan === 'close' && windingDown) return this.windDownToClosure(state);
    if (this.plan === 'terminate' && (windingDown || (halfway && rng.chance(0.02)))) return this.terminate(state);
    if (this.plan !== 'wander' && this.used > this.activeBudget + 10) return this.terminate(state); // stuck: end it anyway
    // A tranche whose threshold consumption has reached: the fund call comes first (F1).
    const next = state.tranches.find((t) => t.dueOn === undefined);
    const callable = next?.release.on === 'consumption' && consumed(state).greaterThanOrEqualTo(next.release.threshold);
    const action = rng.weighted({
      commit: 16, serviceDone: 11, pay: 11, accept: 11, reject: 3, statement: 4, signStatement: 5, fundCall: callable ? 40 : 12,
      payTranche: this.payWeight, amend: 3, close: 0.5, terminate: halfway ? 0.3 : 0.05, restitution: 0.3, settlement: 0.3,
    });
    switch (action) {
      case 'commit': return this.commit(state);
      case 'serviceDone': return this.expenseStep(state, 'committed');
      case 'pay': return this.expenseStep(state, 'service-done');
      case 'accept': return this.expenseStep(state, 'paid');
      case 'reject': return this.reject(state, false);
      case 'statement': return this.drawUpStatement(state, rng.chance(0.1));
      case 'signStatement': this.signStatement(state); return;
      case 'fundCall': return this.fundCall(state);
      case 'payTranche': return this.payTranche(state);
      case 'amend': return this.amend(state);
      case 'close': return this.close(state);
      case 'terminate': return this.terminate(state);
      case 'restitution': return this.restitution(state);
      case 'settlement': return this.settlement(state);
    }
  }

  private commit(state: RegisteredConvention, target?: Money): void {
    const rng = this.rng;
    const room = state.ceiling.minus(committed(state));
    let amount: Money;
    if (target !== undefined && room.greaterThanOrEqualTo(target) && target.greaterThan(0)) {
      amount = Decimal.min(room, target.plus(rng.moneyBetween(ZERO, target.dividedBy(4).toDecimalPlaces(2, Decimal.ROUND_DOWN))));
    } else if (room.greaterThan('0.01') && rng.chance(0.9)) {
      amount = rng.moneyBetween(new Decimal('0.01'), Decimal.min(room, state.ceiling.dividedBy(rng.pick([3, 6, 12])).toDecimalPlaces(2, Decimal.ROUND_DOWN).plus('0.01')));
    } else {
      amount = rng.moneyFromParts(50_000);
    }
    const committedOn = this.date();
    // A3/E1: the categories eligible on the commitment date (amendments may change them).
    const eligible = isBusinessDate(committedOn) ? termsInForceOn(state, committedOn).expenseCategories : state.expenseCategories;
    const categories = eligible.length > 0 ? eligible : CATEGORY_POOL;
    const category = rng.chance(0.05) ? 'hors-champ' : rng.pick(categories);
    const siretRoll = rng.next();
    this.attempt({
      type: 'CommitExpense', expenseId: this.nextId('e'), category, description: `${category} work`, amount, committedOn,
      ...(rng.chance(0.3) ? { contract: `MARCHE-${rng.int(1, 9)}` } : {}),
      ...(rng.chance(0.6) ? {
        payee: {
          name: `Supplier ${rng.int(1, 20)}`,
          ...(siretRoll < 0.03 ? { siret: randomSiret(rng, true) } : siretRoll < 0.7 ? { siret: randomSiret(rng) } : {}),
        },
      } : {}),
      ...(rng.chance(0.5) ? { commitmentNumber: `EJ-${rng.int(1000, 9999)}` } : {}),
    }, BENEFICIARY);
  }

  /** One step of an expense at `from` (or, now and then, of any expense: out of order). */
  private expenseStep(state: RegisteredConvention, from: 'committed' | 'service-done' | 'paid', among?: ExpenseState[]): void {
    const expenses = among ?? [...state.expenses.values()];
    if (expenses.length === 0) return state.status === 'active' ? this.commit(state) : undefined;
    const candidates = expenses.filter((e) => e.step === from && !e.rejection);
    if (candidates.length === 0 && state.status === 'active' && this.rng.chance(0.8)) return this.commit(state);
    const expense = candidates.length > 0 && this.rng.chance(0.95) ? this.rng.pick(candidates) : this.rng.pick(expenses);
    this.stepExpense(expense, expense.step === 'committed' || expense.step === 'service-done' || expense.step === 'paid' ? expense.step : from);
  }

  private stepExpense(expense: ExpenseState, from: 'committed' | 'service-done' | 'paid'): void {
    const rng = this.rng;
    const previous = expense.acceptedOn ?? expense.paidOn ?? expense.serviceDoneOn ?? expense.committedOn;
    // E2: service and payment fall within the period (in force then): mostly keep them there.
    const endsOn = this.state?.endsOn;
    const bounded = (date: BusinessDate) => (endsOn && isBusinessDate(date) && date > endsOn && previous <= endsOn && rng.chance(0.85)
      ? addDays(previous, rng.int(0, daysBetween(previous, endsOn))) : date);
    if (from === 'committed') {
      const on = bounded(this.dateAfter(previous));
      const invoiceRoll = rng.next();
      const invoice = invoiceRoll < 0.5
        ? { number: `F-${rng.int(1, 99_999)}`, issuedOn: invoiceRoll < 0.01 ? this.future() : addDays(expense.committedOn, rng.int(0, 20)) }
        : undefined;
      this.attempt({ type: 'RecordServiceDone', expenseId: expense.expenseId, on, ...(invoice ? { invoice } : {}) }, BENEFICIARY);
    } else if (from === 'service-done') {
      this.attempt({
        type: 'RecordExpensePayment', expenseId: expense.expenseId, paidOn: bounded(this.dateAfter(previous)),
        ...(rng.chance(0.5) ? { paymentOrder: `MANDAT-${rng.int(1, 99_999)}` } : {}),
      }, BENEFICIARY);
    } else {
      // E2 decision: acceptance may come after the period end.
      this.attempt({ type: 'AcceptExpense', expenseId: expense.expenseId, on: this.dateAfter(previous, 60) }, ACCOUNTANT);
    }
  }

  /**
   * E3. While active, any expense; after the end (a late rejection), mostly one the participation
   * rests on (accepted, and served by a termination's effect), so that the figures move.
   */
  private reject(state: RegisteredConvention, late: boolean): void {
    const rng = this.rng;
    const expenses = [...state.expenses.values()];
    if (expenses.length === 0) return state.status === 'active' ? this.commit(state) : undefined;
    const notRejected = expenses.filter((e) => !e.rejection);
    const effect = state.termination?.effectiveOn;
    const counted = notRejected.filter((e) => e.acceptedOn !== undefined && (!effect || (e.serviceDoneOn !== undefined && e.serviceDoneOn <= effect)));
    const pool = late && counted.length > 0 && rng.chance(0.85) ? counted : notRejected.length > 0 && rng.chance(0.95) ? notRejected : expenses;
    const expense = rng.pick(pool);
    const ended = state.closure?.on ?? state.termination?.effectiveOn;
    const after = late && ended && rng.chance(0.75) ? maxDateOf([expense.committedOn, ended])
      : rng.chance(0.5) ? expense.committedOn : maxDateOf([expense.committedOn, this.clock]);
    this.attempt({
      type: 'RejectExpense', expenseId: expense.expenseId, on: this.dateAfter(after, 40), reason: 'ineligible',
      ...(rng.chance(late || expense.step === 'accepted' ? 0.7 : 0.2) ? { recoveryOrder: `TP-${rng.int(1, 99_999)}` } : {}),
    }, rng.chance(0.5) ? ACCOUNTANT : FUNDER);
  }

  /** Whether another statement can still be drawn up: its cutoff must follow the last one and fall within the period (D1). */
  private cutoffRoom(state: RegisteredConvention): boolean {
    const previous = state.statements.at(-1);
    return !previous || previous.cutoff < state.endsOn!;
  }

  /** The accepted expenses no statement listed yet: what the next statement would list (D1). */
  private unlisted(state: RegisteredConvention): ExpenseState[] {
    return live(state).filter((e) => e.statement === undefined && e.acceptedOn !== undefined);
  }

  /**
   * A statement whose cutoff and drawn-up day cover every accepted expense (so that its
   * cumulative total is the consumption now), unless told a cutoff.
   */
  private drawUpCovering(state: RegisteredConvention, final: boolean): void {
    const previous = state.statements.at(-1);
    const unlisted = this.unlisted(state);
    const covering = maxDateOf([
      previous ? addDays(previous.cutoff, 1) : state.effectiveOn!, state.effectiveOn!, ...unlisted.map((e) => e.paidOn!),
    ]);
    // D1: the cutoff falls within the period of effect (payments do, so the end still covers them).
    const cutoff = covering > state.endsOn! && this.rng.chance(0.9) ? maxDateOf([state.endsOn!, previous ? addDays(previous.cutoff, 1) : state.effectiveOn!]) : covering;
    const drawnUpOn = maxDateOf([cutoff, previous?.drawnUpOn ?? cutoff, ...live(state).flatMap((e) => (e.acceptedOn ? [e.acceptedOn] : [])),
      ...[...state.expenses.values()].flatMap((e) => (e.rejection ? [e.rejection.on] : []))]);
    this.attempt({ type: 'DrawUpStatement', cutoff, final, ...(drawnUpOn !== cutoff || this.rng.chance(0.5) ? { drawnUpOn } : {}) }, BENEFICIARY);
  }

  private drawUpStatement(state: RegisteredConvention, final: boolean): void {
    const rng = this.rng;
    const previous = state.statements.at(-1);
    if (rng.chance(0.4)) return this.drawUpCovering(state, final);
    const cutoff = previous && rng.chance(0.8) ? this.dateAfter(addDays(previous.cutoff, 1), 60) : this.date();
    const roll = rng.next();
    const drawnUpOn = roll < 0.5 ? undefined
      : roll < 0.95 ? addDays(maxDateOf([isBusinessDate(cutoff) ? cutoff : this.clock, previous?.drawnUpOn ?? this.clock]), rng.int(0, 30))
        : addDays(isBusinessDate(cutoff) ? cutoff : this.clock, -rng.int(1, 10)); // D1: before the cutoff
    this.attempt({ type: 'DrawUpStatement', cutoff, final, ...(drawnUpOn !== undefined ? { drawnUpOn } : {}) }, BENEFICIARY);
  }

  private signStatement(state: RegisteredConvention, statement?: StatementState): boolean {
    const rng = this.rng;
    if (state.statements.length === 0 && rng.chance(0.9)) {
      this.drawUpStatement(state, false);
      return false;
    }
    const chosen = statement ?? (state.statements.length > 0 && rng.chance(0.9) ? state.statements.at(-1)! : undefined);
    const number = chosen?.number ?? rng.int(1, state.statements.length + 1);
    const signed = new Set(chosen?.signatures.map((s) => s.as) ?? []);
    const as = !signed.has('authorizing-officer') ? 'authorizing-officer' as const
      : !signed.has('public-accountant') || rng.chance(0.1) ? 'public-accountant' as const : 'authorizing-officer' as const;
    const actor = as === 'authorizing-officer' ? OFFICER : ACCOUNTANT;
    // D2: one person in both roles is refused, by subject or by name (however written); try it now and then.
    const roll = rng.next();
    const subject = roll < 0.04 ? OFFICER.subject : actor.subject;
    const signatory = roll > 0.97 ? '  agnes   ORDONNATRICE ' : SIGNATORY[as];
    return this.attempt({
      type: 'SignStatement', number, as, signatory, subject,
      signedOn: this.dateAfter(chosen?.drawnUpOn ?? this.clock, 10),
    }, actor);
  }

  /**
   * F1, steered towards its successful path: a call needs the latest statement valid with a
   * cumulative total at the threshold, and consumption on the call date at it too. Most of the
   * time this prepares what is missing (an expense step, a statement, a signature) or calls;
   * now and then it calls anyway, to exercise the refusals.
   */
  private fundCall(state: RegisteredConvention): void {
    const rng = this.rng;
    const tranche = state.tranches.find((t) => t.dueOn === undefined);
    const latest = state.statements.at(-1);
    // Everything fell due already: spend instead (and, now and then, call anyway: refused).
    if (!tranche && rng.chance(0.85)) return this.expenseStep(state, rng.pick(['committed', 'service-done', 'paid'] as const));
    if (!tranche || tranche.release.on !== 'consumption' || rng.chance(0.04)) {
      const any = rng.pick(state.tranches);
      this.attempt({
        type: 'IssueFundCall', tranche: any.number, statement: latest?.number ?? 1,
        issuedOn: this.dateAfter(latest ? lastSignatureOn(latest) ?? latest.drawnUpOn : this.clock, 15),
      }, BENEFICIARY);
      return;
    }
    const threshold = tranche.release.threshold;
    const consumedNow = consumed(state);
    const canDrawUp = this.cutoffRoom(state) && (!latest?.final || !latest.cumulativeTotal.equals(consumedNow));
    if (latest && isStatementValid(latest) && latest.cumulativeTotal.greaterThanOrEqualTo(threshold) && consumedNow.greaterThanOrEqualTo(threshold)) {
      const acceptances = live(state).flatMap((e) => (e.acceptedOn ? [e.acceptedOn] : []));
      const after = maxDateOf([lastSignatureOn(latest)!, ...acceptances, ...(state.lastAmendedOn ? [state.lastAmendedOn] : [])]);
      this.attempt({ type: 'IssueFundCall', tranche: tranche.number, statement: latest.number, issuedOn: this.dateAfter(after, 10) }, BENEFICIARY);
      return;
    }
    if (latest && !isStatementValid(latest) && (latest.cumulativeTotal.greaterThanOrEqualTo(threshold) || !canDrawUp)) {
      this.signStatement(state, latest);
      return;
    }
    if (consumedNow.greaterThanOrEqualTo(threshold) && canDrawUp) return this.drawUpCovering(state, latest?.final ?? false);
    // Not enough consumed yet: take the expense closest to acceptance one step further, or commit what is missing.
    const inProgress = live(state).filter((e) => e.step !== 'accepted').sort((a, b) => stepRank(b) - stepRank(a));
    const pending = sum(inProgress.map((e) => e.amount));
    if (inProgress.length > 0 && (consumedNow.plus(pending).greaterThanOrEqualTo(threshold) || rng.chance(0.6))) {
      const expense = rng.chance(0.8) ? inProgress[0] : rng.pick(inProgress);
      return this.stepExpense(expense, expense.step as 'committed' | 'service-done' | 'paid');
    }
    return this.commit(state, threshold.minus(consumedNow).minus(pending));
  }

  private payTranche(state: RegisteredConvention): void {
    const rng = this.rng;
    const open = isDue(state).filter((t) => t.paid.lessThan(t.amount));
    if (open.length === 0 && state.status === 'active' && rng.chance(0.85)) return this.fundCall(state);
    const tranche = open.length > 0 && rng.chance(0.95) ? rng.pick(open) : rng.pick(state.tranches);
    const remaining = tranche.amount.minus(tranche.paid);
    let amount: Money;
    if (rng.chance(0.05) || !remaining.greaterThan(0)) amount = remaining.plus(rng.moneyFromParts(100)); // P1: beyond what is allowed
    else if (rng.chance(0.55)) amount = remaining;
    else amount = rng.moneyBetween(new Decimal('0.01'), remaining);
    this.attempt({
      type: 'PayTranche', paymentId: this.nextId('pay'), tranche: tranche.number, amount, paidOn: this.dateAfter(tranche.dueOn ?? this.clock, 40),
      ...(rng.chance(0.5) ? { reference: `VIR-${this.sequence}` } : {}),
    }, FUNDER);
  }

  /** A2 (v2): ceiling, duration, schedule, and also categories, representatives and bank accounts. */
  private amend(state: RegisteredConvention): void {
    const rng = this.rng;
    const floor = Decimal.max(state.received, committed(state));
    const changes: Extract<ConventionCommand, { type: 'AmendConvention' }>['changes'] = {};
    const due = isDue(state);
    const dueTotal = sum(due.map((t) => t.amount));
    let ceiling = state.ceiling;
    if (rng.chance(0.5)) {
      ceiling = Decimal.max(floor, dueTotal).plus(rng.moneyFromParts(rng.pick([100, 50_000, 500_000])));
      if (rng.chance(0.05)) ceiling = floor.minus('0.01'); // A2: below what is received or committed
      changes.ceiling = ceiling;
    }
    if (rng.chance(0.3)) changes.durationMonths = rng.int(1, 30);
    if (changes.ceiling !== undefined || rng.chance(0.35)) {
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
          if (i === 0 && rng.chance(0.25)) {
            pending.push({ amount, release: { on: 'signature' } });
          } else {
            // Thresholds within reach of consumption: a little above the last one.
            const reach = ceiling.minus(previous).times(rng.pick(['0.1', '0.3', '1'])).toDecimalPlaces(2, Decimal.ROUND_DOWN);
            const threshold = Decimal.min(ceiling, rng.moneyBetween(previous.plus('0.01'), Decimal.max(previous.plus('0.01'), previous.plus(reach))));
            previous = threshold;
            pending.push({ amount, release: { on: 'consumption', threshold } });
          }
        });
      }
      changes.tranches = pending;
    }
    if (rng.chance(0.25)) {
      const categories = CATEGORY_POOL.filter(() => rng.chance(0.5));
      changes.expenseCategories = rng.chance(0.2) ? [] : categories.length > 0 ? categories : [rng.pick(CATEGORY_POOL)];
    }
    for (const party of ['funder', 'beneficiary'] as const) {
      if (!rng.chance(0.15)) continue;
      const roll = rng.next();
      changes[party] = {
        ...(roll < 0.6 ? { representative: `${party} representative ${rng.int(2, 99)}` } : {}),
        ...(roll >= 0.4 ? { bankAccount: randomBankAccount(rng, rng.chance(0.05)) } : {}),
      };
    }
    this.attempt({
      type: 'AmendConvention', signedOn: this.date(), signatories: { funder: 'funder representative', beneficiary: 'beneficiary representative' },
      changes,
    }, FUNDER);
  }

  private close(state: RegisteredConvention): void {
    const final = state.statements.at(-1);
    const number = final?.number ?? 1;
    const after = this.rng.chance(0.8) ? this.latestFact() : final ? lastSignatureOn(final) ?? final.drawnUpOn : this.clock;
    this.attempt({ type: 'CloseConvention', on: this.dateAfter(after, 20), statement: number }, FUNDER);
  }

  /** Accept what is paid, draw up a final statement covering it, sign it, close. */
  private windDownToClosure(state: RegisteredConvention): void {
    const paid = live(state).filter((e) => e.step === 'paid');
    if (paid.length > 0 && this.rng.chance(0.8)) {
      const expense = paid[0];
      this.attempt({ type: 'AcceptExpense', expenseId: expense.expenseId, on: addDays(expense.paidOn!, this.rng.int(0, 10)) }, ACCOUNTANT);
      return;
    }
    const last = state.statements.at(-1);
    if (!last?.final || !last.cumulativeTotal.equals(consumed(state))) {
      // No cutoff left in the period for a final statement: it cannot close; it ends by termination.
      return this.cutoffRoom(state) || this.rng.chance(0.2) ? this.drawUpCovering(state, true) : this.terminate(state);
    }
    if (!isStatementValid(last)) {
      this.signStatement(state, last);
      return;
    }
    // A threshold reached on the final statement: call the tranche before closing, now and then.
    const next = state.tranches.find((t) => t.dueOn === undefined);
    if (next?.release.on === 'consumption' && last.cumulativeTotal.greaterThanOrEqualTo(next.release.threshold) && this.rng.chance(0.6)) {
      return this.fundCall(state);
    }
    this.close(state);
  }

  /** X1 (v2): by either party, decided on a day, effective on the same or a later one. */
  private terminate(state: RegisteredConvention): void {
    const rng = this.rng;
    const decidedBy = rng.pick(['funder', 'beneficiary'] as const);
    const lastMoneyFact = maxDateOf([state.effectiveOn!, ...state.fundCalls.map((c) => c.issuedOn), ...state.payments.map((p) => p.paidOn)]);
    let decidedOn = this.date();
    if (isBusinessDate(decidedOn) && decidedOn < state.effectiveOn! && rng.chance(0.8)) decidedOn = addDays(state.effectiveOn!, rng.int(0, 30));
    let effectiveOn = isBusinessDate(decidedOn) && rng.chance(0.5) ? addDays(decidedOn, rng.int(1, 60)) : decidedOn;
    if (isBusinessDate(effectiveOn) && effectiveOn < lastMoneyFact && rng.chance(0.9)) {
      effectiveOn = addDays(lastMoneyFact, rng.int(0, 20));
      if (decidedOn > effectiveOn) decidedOn = effectiveOn;
    }
    if (isBusinessDate(decidedOn) && rng.chance(0.04)) effectiveOn = addDays(decidedOn, -rng.int(1, 10)); // X1: effect before the decision
    this.attempt({
      type: 'TerminateConvention', decidedOn, effectiveOn, decidedBy, reason: rng.pick(['fault', 'misuse of funds', 'no activity']),
      atFault: rng.pick(['funder', 'beneficiary'] as const),
    }, ACTOR_OF_PARTY[decidedBy]);
  }

  // ---- closed, terminated, settled ----

  private endedStep(state: RegisteredConvention): void {
    const rng = this.rng;
    if (state.status === 'settled') {
      // A late rejection may unsettle it (E3, R1); otherwise one stray command, or the story ends.
      const roll = rng.next();
      if (roll < 0.5) return this.reject(state, true);
      if (roll < 0.65) return this.strayCommand(state);
      this.used = this.budget;
      return;
    }
    const figures = this.figures(state);
    if (state.status === 'terminated' && figures.provisional) return this.liquidationStep(state);
    const action = rng.weighted({
      restitution: figures.restitution.outstanding.greaterThan(0) ? 8 : 0.3,
      settlement: figures.owedToBeneficiary.outstanding.greaterThan(0) ? 8 : 0.3,
      reject: 1.5, stray: 0.5,
    });
    if (action === 'restitution') return this.restitution(state);
    if (action === 'settlement') return this.settlement(state);
    if (action === 'reject') return this.reject(state, true);
    return this.strayCommand(state);
  }

  /**
   * X1 liquidation: the expenses committed by the effect take their remaining steps, then a final
   * statement is drawn up and signed, which makes the figures final.
   */
  private liquidationStep(state: RegisteredConvention): void {
    const rng = this.rng;
    const effect = state.termination!.effectiveOn;
    const eligible = live(state).filter((e) => e.committedOn <= effect && e.step !== 'accepted');
    const action = rng.weighted({
      step: eligible.length > 0 ? 10 : 0, final: !this.cutoffRoom(state) && !state.statements.at(-1)?.final ? 0.2 : eligible.length > 0 ? 3 : 10,
      reject: 1, stepAny: 0.4,
      restitution: 0.3, settlement: 0.3, stray: 0.4,
    });
    switch (action) {
      case 'step': {
        const expense = rng.pick(eligible);
        return this.stepExpense(expense, expense.step as 'committed' | 'service-done' | 'paid');
      }
      case 'stepAny': return this.expenseStep(state, rng.pick(['committed', 'service-done', 'paid'] as const));
      case 'final': {
        const latest = state.statements.at(-1);
        if (latest?.final && !isStatementValid(latest)) {
          this.signStatement(state, latest);
          return;
        }
        return this.drawUpCovering(state, true);
      }
      case 'reject': return this.reject(state, true);
      case 'restitution': return this.restitution(state);
      case 'settlement': return this.settlement(state);
      case 'stray': return this.strayCommand(state);
    }
  }

  /** Anything else must be refused on an ended convention. */
  private strayCommand(state: RegisteredConvention): void {
    switch (this.rng.int(0, 8)) {
      case 0: return this.commit(state);
      case 1: return this.drawUpStatement(state, false);
      case 2: return this.amend(state);
      case 3: return this.restitution(state);
      case 4: return this.terminate(state);
      case 5: return this.payTranche(state);
      case 6: return this.settlement(state);
      case 7: return this.close(state);
      default:
        this.attempt({ type: 'SignConvention', party: 'funder', signatory: 'funder representative', signedOn: this.date() }, FUNDER);
    }
  }

  private amountUpTo(outstanding: Money): Money {
    const rng = this.rng;
    if (!outstanding.greaterThan(0) || rng.chance(0.05)) return outstanding.plus(rng.moneyFromParts(100));
    if (rng.chance(0.55)) return outstanding;
    return rng.moneyBetween(new Decimal('0.01'), outstanding);
  }

  /**
   * R1/R2: money changes hands from the day the figures became final (the closure, or the day a
   * final statement made a termination's figures final); now and then from the end itself, which
   * may be earlier (refused then).
   */
  private paymentsFrom(state: RegisteredConvention): BusinessDate {
    const end = state.closure?.on ?? state.termination?.effectiveOn ?? this.clock;
    const final = figuresFinalOn(state);
    return final && this.rng.chance(0.8) ? maxDateOf([final, end]) : end;
  }

  /** R1: the beneficiary gives back what is outstanding, at once or in parts, dated from the end on. */
  private restitution(state: RegisteredConvention): void {
    const outstanding = state.status === 'draft' ? ZERO : this.figures(state).restitution.outstanding;
    const ended = this.paymentsFrom(state);
    this.attempt({
      type: 'PayRestitution', restitutionId: this.nextId('rest'), amount: this.amountUpTo(outstanding), paidOn: this.dateAfter(ended, 60),
    }, BENEFICIARY);
  }

  /** R2: the funder pays what it owes the beneficiary after the end, at once or in parts. */
  private settlement(state: RegisteredConvention): void {
    const outstanding = state.status === 'draft' ? ZERO : this.figures(state).owedToBeneficiary.outstanding;
    const ended = this.paymentsFrom(state);
    this.attempt({
      type: 'PaySettlement', paymentId: this.nextId('settle'), amount: this.amountUpTo(outstanding), paidOn: this.dateAfter(ended, 60),
      ...(this.rng.chance(0.5) ? { reference: `VIR-S-${this.sequence}` } : {}),
    }, FUNDER);
  }
}

const STEP_RANK = { committed: 0, 'service-done': 1, paid: 2, accepted: 3 } as const;
const stepRank = (e: ExpenseState) => STEP_RANK[e.step];

/** How a driver decides a command: the real decide() on TODAY, or a caller's wrapper around it (ledger-properties.spec.ts). */
export type DecideCommand = (command: ConventionCommand, state: ConventionState) => ConventionEvent[];

export const decideToday: DecideCommand = (command, state) => decide(command, state, { today: TODAY });

export interface ScenarioOptions {
  /** Where the random choices come from: by default the seed's own generator. */
  rng?: Random;
  decide?: DecideCommand;
}

/** Several conventions driven in parallel, their commands interleaved at random. */
export function generateScenario(seed: number, conventionsCount = 3, options: ScenarioOptions = {}): Scenario {
  const rng = options.rng ?? new Random(seed);
  const scenario: Scenario = {
    seed, log: [], conventions: new Map(), attempted: 0, accepted: 0, refusals: new Map(), refusalsByCommand: new Map(), crashes: [],
  };
  const drivers = Array.from({ length: conventionsCount }, (_, i) => new ConventionDriver(rng, `mb-${seed}-${i + 1}`, scenario, options.decide ?? decideToday));
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
