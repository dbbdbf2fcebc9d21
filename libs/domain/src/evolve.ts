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
  if (event.type === 'ConventionRegistered') return state ?? registered(event);
  if (state === null) return null;
  return apply(state, event);
}

export function fold(events: Iterable<ConventionEvent>, from: ConventionState = null): ConventionState {
  let state = from;
  for (const e of events) state = evolve(state, e);
  return state;
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

function apply(state: RegisteredConvention, event: Exclude<ConventionEvent, ConventionRegistered>): RegisteredConvention {
  switch (event.type) {
    case 'ConventionSigned': {
      const { party, signatory, signedOn } = event.data;
      return { ...state, signatures: { ...state.signatures, [party]: { signatory, signedOn } } };
    }
    case 'ConventionTookEffect': {
      const { effectiveOn, endsOn } = event.data;
      const terms = state.terms.map((t, i) => (i === 0 ? { ...t, endsOn } : t));
      return { ...state, status: 'active', effectiveOn, endsOn, terms };
    }
    case 'TrancheFellDue':
      return withTranche(state, event.data.tranche, (t) => ({ ...t, dueOn: event.data.dueOn }));
    case 'ExpenseCommitted': {
      const { expenseId, category, description, amount, committedOn, contract, payee, commitmentNumber } = event.data;
      const expense: ExpenseState = {
        expenseId, category, description, amount: money(amount), step: 'committed', committedOn,
        ...(contract !== undefined ? { contract } : {}),
        ...(payee !== undefined ? { payee } : {}),
        ...(commitmentNumber !== undefined ? { commitmentNumber } : {}),
      };
      return { ...state, expenses: new Map(state.expenses).set(expenseId, expense) };
    }
    case 'ExpenseServiceDone': {
      const { on, invoice } = event.data;
      return withExpense(state, event.data.expenseId, (e) => ({ ...e, step: 'service-done', serviceDoneOn: on, ...(invoice ? { invoice } : {}) }));
    }
    case 'ExpensePaid': {
      const { paidOn, paymentOrder } = event.data;
      return withExpense(state, event.data.expenseId, (e) => ({ ...e, step: 'paid', paidOn, ...(paymentOrder !== undefined ? { paymentOrder } : {}) }));
    }
    case 'ExpenseAccepted':
      return withExpense(state, event.data.expenseId, (e) => ({ ...e, step: 'accepted', acceptedOn: event.data.on }));
    case 'ExpenseRejected': {
      const { on, reason, atStep, recoveryOrder } = event.data;
      return withExpense(state, event.data.expenseId, (e) => ({
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
      let next: RegisteredConvention = { ...state, statements: [...state.statements, statement] };
      if (d.lines.length + d.corrections.length > 0) {
        const expenses = new Map(next.expenses);
        for (const line of d.lines) {
          const e = expenses.get(line.expenseId);
          if (e) expenses.set(e.expenseId, { ...e, statement: d.number });
        }
        for (const correction of d.corrections) {
          const e = expenses.get(correction.expenseId);
          if (e) expenses.set(e.expenseId, { ...e, correctedIn: d.number });
        }
        next = { ...next, expenses };
      }
      return next;
    }
    case 'StatementSigned': {
      const { number, as, signatory, subject, signedOn } = event.data;
      return {
        ...state,
        statements: state.statements.map((s) =>
          s.number === number ? { ...s, signatures: [...s.signatures, { as, signatory, subject, signedOn }] } : s),
      };
    }
    case 'FundCallIssued': {
      const { tranche, statement, issuedOn } = event.data;
      return { ...state, fundCalls: [...state.fundCalls, { tranche, statement, issuedOn }] };
    }
    case 'TranchePaid': {
      const d = event.data;
      const amount = money(d.amount);
      return {
        ...withTranche(state, d.tranche, (t) => ({ ...t, paid: t.paid.plus(amount) })),
        payments: [...state.payments, {
          paymentId: d.paymentId, tranche: d.tranche, amount, paidOn: d.paidOn,
          ...(d.reference !== undefined ? { reference: d.reference } : {}),
        }],
        received: state.received.plus(amount),
      };
    }
    case 'ConventionAmended':
      return amended(state, event);
    case 'ConventionClosed':
      return { ...state, status: 'closed', closure: { on: event.data.on, statement: event.data.statement } };
    case 'ConventionTerminated': {
      const { decidedOn, effectiveOn, decidedBy, reason, atFault, figuresFinal } = event.data;
      return {
        ...state, status: 'terminated',
        termination: { decidedOn, effectiveOn, decidedBy, reason, atFault, ...(figuresFinal ? { figuresFinal: true } : {}) },
      };
    }
    case 'RestitutionPaid': {
      const d = event.data;
      return { ...state, restitutions: [...state.restitutions, { restitutionId: d.restitutionId, amount: money(d.amount), paidOn: d.paidOn }] };
    }
    case 'SettlementPaid': {
      const d = event.data;
      return {
        ...state,
        settlementPayments: [...state.settlementPayments, {
          paymentId: d.paymentId, amount: money(d.amount), paidOn: d.paidOn, ...(d.reference !== undefined ? { reference: d.reference } : {}),
        }],
      };
    }
    case 'ConventionSettled':
      return { ...state, status: 'settled', settledOn: event.data.on };
    case 'SettlementReopened': {
      const { settledOn: _settledOn, ...rest } = state;
      return { ...rest, status: state.closure ? 'closed' : 'terminated' };
    }
    default:
      return state;
  }
}

/** A2/A3: a new version of the terms from the amendment's date; tranches already due keep their state. */
function amended(state: RegisteredConvention, { data }: ConventionAmended): RegisteredConvention {
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
  return {
    ...state,
    terms: [...state.terms, terms],
    funder: terms.funder,
    beneficiary: terms.beneficiary,
    ceiling: terms.ceiling,
    durationMonths: terms.durationMonths,
    tranches,
    expenseCategories: terms.expenseCategories,
    endsOn: data.endsOn,
    amendments: Math.max(state.amendments, data.number),
    lastAmendedOn: data.signedOn,
  };
}

function withTranche(state: RegisteredConvention, number: number, change: (t: TrancheState) => TrancheState): RegisteredConvention {
  return { ...state, tranches: state.tranches.map((t) => (t.number === number ? change(t) : t)) };
}

function withExpense(state: RegisteredConvention, expenseId: string, change: (e: ExpenseState) => ExpenseState): RegisteredConvention {
  const current = state.expenses.get(expenseId);
  if (!current) return state;
  return { ...state, expenses: new Map(state.expenses).set(expenseId, change(current)) };
}
