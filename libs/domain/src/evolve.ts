import { type CommitmentTimeline, knownCommitmentTimeline, rememberCommitmentTimeline } from './commitment-timeline';
import { LayeredMap } from './layered-map';
import type { ConventionAmended, ConventionEvent, ConventionRegistered, TrancheTerms } from './events';
import { ZERO, money } from './money';
import type {
  ConventionState, ExpenseState, RegisteredConvention, StatementState, TermsVersion, TrancheReleaseTerms, TrancheState,
} from './state';

/**
 * Applies one recorded fact. Pure and copy-on-write: the previous state is never touched, so a
 * caller may keep it (e.g. to compare before and after a decision). Events are facts already
 * decided: evolve does not validate them, and ignores what cannot apply to the state it has.
 * Figures (what is owed either way) are not kept here: figures.ts computes them from the facts.
 */
export function evolve(state: ConventionState, event: ConventionEvent): ConventionState {
  return fold([event], state);
}

/**
 * evolve() over the events in order. Pure as evolve is (`from` is never touched), but linear:
 * the facts are applied to one private draft, in which each collection is copied at most once
 * (on its first change), where evolve() event by event would copy the expenses on every
 * expense fact (quadratic on a long history). The expenses are a LayeredMap (layered-map.ts):
 * their copy shares what did not change, so folding one fact into a long history costs about
 * √n, not n.
 */
export function fold(events: Iterable<ConventionEvent>, from: ConventionState = null): ConventionState {
  let state = from;
  let draft: Draft | undefined;
  for (const e of events) {
    if (e.type === 'ConventionRegistered') {
      state ??= registered(e);
      continue;
    }
    if (state === null) continue;
    draft ??= new Draft(state);
    apply(draft, e);
  }
  return draft ? draft.result() : state;
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] };
type ListKey = 'terms' | 'tranches' | 'statements' | 'fundCalls' | 'payments' | 'settlementPayments' | 'restitutions';
type Item<K extends ListKey> = RegisteredConvention[K][number];

/**
 * A state being folded: the convention it started from is read as is until a fact changes it;
 * then its top level is copied once, and each collection once, on its first change (the
 * expenses as a LayeredMap sharing the unchanged ones, with their commitment timeline). Nothing
 * outside the fold ever sees the draft before result(), and nothing changes it after.
 */
class Draft {
  private copy: Mutable<RegisteredConvention> | undefined;
  private readonly owned = new Set<ListKey | 'expenses'>();
  /** Kept up to date with the expenses when the state folded from had one (commitment-timeline.ts). */
  private timeline: CommitmentTimeline | undefined;

  constructor(private readonly base: RegisteredConvention) {}

  get state(): RegisteredConvention {
    return this.copy ?? this.base;
  }

  result(): RegisteredConvention {
    if (this.timeline) rememberCommitmentTimeline(this.state.expenses, this.timeline);
    return this.state;
  }

  /** The fields to change (the top level, copied on the first change). */
  get fields(): Mutable<RegisteredConvention> {
    return (this.copy ??= { ...this.base });
  }

  setExpense(expense: ExpenseState): void {
    const fields = this.fields;
    if (!this.owned.has('expenses')) {
      this.timeline = knownCommitmentTimeline(fields.expenses)?.copy();
      fields.expenses = LayeredMap.copyToChange(fields.expenses);
      this.owned.add('expenses');
    }
    const expenses = fields.expenses as LayeredMap<string, ExpenseState>;
    this.timeline?.replace(expenses.get(expense.expenseId), expense);
    expenses.set(expense.expenseId, expense);
  }

  list<K extends ListKey>(key: K): Item<K>[] {
    const fields = this.fields;
    if (!this.owned.has(key)) {
      fields[key] = [...fields[key]] as RegisteredConvention[K];
      this.owned.add(key);
    }
    return fields[key] as unknown as Item<K>[];
  }

  /** Replaces every item matching `which` (as Array.map would), copying the list only if one does. */
  replaceWhere<K extends ListKey>(key: K, which: (item: Item<K>, index: number) => boolean, change: (item: Item<K>) => Item<K>): void {
    const current = this.state[key] as readonly Item<K>[];
    for (let i = 0; i < current.length; i++) {
      if (which(current[i], i)) this.list(key)[i] = change(current[i]);
    }
  }
}

function registered({ data }: ConventionRegistered): RegisteredConvention {
  const terms: TermsVersion = {
    amendment: 0,
    ceiling: money(data.ceiling),
    durationMonths: data.durationMonths,
    tranches: data.tranches.map(trancheTermsOf),
    expenseCategories: [...data.expenseCategories],
    funder: data.funder,
    beneficiary: data.beneficiary,
  };
  return {
    conventionId: data.conventionId,
    reference: data.reference,
    title: data.title,
    ...(data.budget ? { budget: data.budget } : {}),
    status: 'draft',
    terms: [terms],
    funder: terms.funder,
    beneficiary: terms.beneficiary,
    ceiling: terms.ceiling,
    durationMonths: terms.durationMonths,
    tranches: terms.tranches.map((t) => ({ ...t, paid: ZERO })),
    expenseCategories: terms.expenseCategories,
    signatures: {},
    expenses: new Map(),
    statements: [],
    fundCalls: [],
    payments: [],
    received: ZERO,
    amendments: 0,
    settlementPayments: [],
    restitutions: [],
  };
}

const releaseOf = (terms: TrancheTerms): TrancheReleaseTerms =>
  terms.release.on === 'consumption' ? { on: 'consumption', threshold: money(terms.release.threshold) } : { on: 'signature' };

const trancheTermsOf = (t: TrancheTerms) => ({ number: t.number, amount: money(t.amount), release: releaseOf(t) });

function apply(draft: Draft, event: Exclude<ConventionEvent, ConventionRegistered>): void {
  const state = draft.state;
  switch (event.type) {
    case 'ConventionSigned': {
      const { party, signatory, signedOn } = event.data;
      draft.fields.signatures = { ...state.signatures, [party]: { signatory, signedOn } };
      return;
    }
    case 'ConventionTookEffect': {
      const { effectiveOn, endsOn } = event.data;
      const fields = draft.fields;
      fields.status = 'active';
      fields.effectiveOn = effectiveOn;
      fields.endsOn = endsOn;
      draft.replaceWhere('terms', (_, i) => i === 0, (t) => ({ ...t, endsOn }));
      return;
    }
    case 'TrancheFellDue':
      return withTranche(draft, event.data.tranche, (t) => ({ ...t, dueOn: event.data.dueOn }));
    case 'ExpenseCommitted': {
      const { expenseId, category, description, amount, committedOn, contract, payee, commitmentNumber } = event.data;
      const expense: ExpenseState = {
        expenseId, category, description, amount: money(amount), step: 'committed', committedOn,
        ...(contract !== undefined ? { contract } : {}),
        ...(payee !== undefined ? { payee } : {}),
        ...(commitmentNumber !== undefined ? { commitmentNumber } : {}),
      };
      draft.setExpense(expense);
      return;
    }
    case 'ExpenseServiceDone': {
      const { on, invoice } = event.data;
      return withExpense(draft, event.data.expenseId, (e) => ({ ...e, step: 'service-done', serviceDoneOn: on, ...(invoice ? { invoice } : {}) }));
    }
    case 'ExpensePaid': {
      const { paidOn, paymentOrder } = event.data;
      return withExpense(draft, event.data.expenseId, (e) => ({ ...e, step: 'paid', paidOn, ...(paymentOrder !== undefined ? { paymentOrder } : {}) }));
    }
    case 'ExpenseAccepted':
      return withExpense(draft, event.data.expenseId, (e) => ({ ...e, step: 'accepted', acceptedOn: event.data.on }));
    case 'ExpenseRejected': {
      const { on, reason, atStep, recoveryOrder } = event.data;
      return withExpense(draft, event.data.expenseId, (e) => ({
        ...e, rejection: { on, reason, atStep, ...(recoveryOrder !== undefined ? { recoveryOrder } : {}) },
      }));
    }
    case 'StatementDrawnUp': {
      const d = event.data;
      const statement: StatementState = {
        number: d.number, cutoff: d.cutoff, drawnUpOn: d.drawnUpOn, final: d.final, lines: d.lines, corrections: d.corrections,
        total: money(d.total), previousCumulativeTotal: money(d.previousCumulativeTotal), cumulativeTotal: money(d.cumulativeTotal),
        signatures: [],
      };
      draft.list('statements').push(statement);
      for (const line of d.lines) withExpense(draft, line.expenseId, (e) => ({ ...e, statement: d.number }));
      for (const correction of d.corrections) withExpense(draft, correction.expenseId, (e) => ({ ...e, correctedIn: d.number }));
      return;
    }
    case 'StatementSigned': {
      const { number, as, signatory, subject, signedOn } = event.data;
      draft.replaceWhere('statements', (s) => s.number === number, (s) => ({ ...s, signatures: [...s.signatures, { as, signatory, subject, signedOn }] }));
      return;
    }
    case 'FundCallIssued': {
      const { tranche, statement, issuedOn } = event.data;
      draft.list('fundCalls').push({ tranche, statement, issuedOn });
      return;
    }
    case 'TranchePaid': {
      const d = event.data;
      const amount = money(d.amount);
      withTranche(draft, d.tranche, (t) => ({ ...t, paid: t.paid.plus(amount) }));
      draft.list('payments').push({
        paymentId: d.paymentId, tranche: d.tranche, amount, paidOn: d.paidOn,
        ...(d.reference !== undefined ? { reference: d.reference } : {}),
      });
      draft.fields.received = state.received.plus(amount);
      return;
    }
    case 'ConventionAmended':
      return amended(draft, event);
    case 'ConventionClosed': {
      const fields = draft.fields;
      fields.status = 'closed';
      fields.closure = { on: event.data.on, statement: event.data.statement };
      return;
    }
    case 'ConventionTerminated': {
      const { decidedOn, effectiveOn, decidedBy, reason, atFault, figuresFinal } = event.data;
      const fields = draft.fields;
      fields.status = 'terminated';
      fields.termination = { decidedOn, effectiveOn, decidedBy, reason, atFault, ...(figuresFinal ? { figuresFinal: true } : {}) };
      return;
    }
    case 'RestitutionPaid': {
      const d = event.data;
      draft.list('restitutions').push({ restitutionId: d.restitutionId, amount: money(d.amount), paidOn: d.paidOn });
      return;
    }
    case 'SettlementPaid': {
      const d = event.data;
      draft.list('settlementPayments').push({
        paymentId: d.paymentId, amount: money(d.amount), paidOn: d.paidOn, ...(d.reference !== undefined ? { reference: d.reference } : {}),
      });
      return;
    }
    case 'ConventionSettled': {
      const fields = draft.fields;
      fields.status = 'settled';
      fields.settledOn = event.data.on;
      return;
    }
    case 'SettlementReopened': {
      const fields = draft.fields;
      delete fields.settledOn;
      fields.status = state.closure ? 'closed' : 'terminated';
      return;
    }
    default:
      return;
  }
}

/** A2/A3: a new version of the terms from the amendment's date; tranches already due keep their state. */
function amended(draft: Draft, { data }: ConventionAmended): void {
  const state = draft.state;
  const current = state.terms[state.terms.length - 1];
  const party = (before: typeof current.funder, after: typeof current.funder | undefined) => after ?? before;
  const terms: TermsVersion = {
    from: data.signedOn,
    amendment: data.number,
    ceiling: money(data.ceiling),
    durationMonths: data.durationMonths,
    endsOn: data.endsOn,
    tranches: data.tranches.map(trancheTermsOf),
    expenseCategories: data.expenseCategories ? [...data.expenseCategories] : current.expenseCategories,
    funder: party(current.funder, data.funder),
    beneficiary: party(current.beneficiary, data.beneficiary),
  };
  const kept = new Map(state.tranches.filter((t) => t.dueOn !== undefined || t.paid.greaterThan(0)).map((t) => [t.number, t]));
  const tranches: TrancheState[] = terms.tranches.map((t) => kept.get(t.number) ?? { ...t, paid: ZERO });
  draft.list('terms').push(terms);
  const fields = draft.fields;
  fields.funder = terms.funder;
  fields.beneficiary = terms.beneficiary;
  fields.ceiling = terms.ceiling;
  fields.durationMonths = terms.durationMonths;
  fields.tranches = tranches;
  fields.expenseCategories = terms.expenseCategories;
  fields.endsOn = data.endsOn;
  fields.amendments = Math.max(state.amendments, data.number);
  fields.lastAmendedOn = data.signedOn;
}

function withTranche(draft: Draft, number: number, change: (t: TrancheState) => TrancheState): void {
  draft.replaceWhere('tranches', (t) => t.number === number, change);
}

function withExpense(draft: Draft, expenseId: string, change: (e: ExpenseState) => ExpenseState): void {
  const current = draft.state.expenses.get(expenseId);
  if (current) draft.setExpense(change(current));
}
