import type { ConventionEvent, ConventionRegistered, TrancheTerms } from './events';
import { ZERO, maxMoney, money } from './money';
import {
  dueParticipationOn,
  type ConventionState, type ExpenseState, type RegisteredConvention, type StatementState, type TrancheReleaseTerms, type TrancheState,
} from './state';

/**
 * Applies one recorded fact. Pure and copy-on-write: the previous state is never touched, so a
 * caller may keep it (e.g. to compare before and after a decision). Events are facts already
 * decided: evolve does not validate them, and ignores what cannot apply to the state it has.
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
  return {
    conventionId: data.conventionId,
    reference: data.reference,
    title: data.title,
    funder: data.funder,
    beneficiary: data.beneficiary,
    ...(data.budget ? { budget: data.budget } : {}),
    status: 'draft',
    ceiling: money(data.ceiling),
    durationMonths: data.durationMonths,
    tranches: data.tranches.map((t) => ({ number: t.number, amount: money(t.amount), release: releaseOf(t), paid: ZERO })),
    expenseCategories: [...data.expenseCategories],
    signatures: {},
    expenses: new Map(),
    statements: [],
    fundCalls: [],
    payments: [],
    received: ZERO,
    amendments: 0,
    restitutionDue: ZERO,
    restitutions: [],
    restitutionPaid: ZERO,
    owedToBeneficiary: ZERO,
  };
}

function releaseOf(terms: TrancheTerms): TrancheReleaseTerms {
  return terms.release.on === 'consumption' ? { on: 'consumption', threshold: money(terms.release.threshold) } : { on: 'signature' };
}

function apply(state: RegisteredConvention, event: Exclude<ConventionEvent, ConventionRegistered>): RegisteredConvention {
  switch (event.type) {
    case 'ConventionSigned': {
      const { party, signatory, signedOn } = event.data;
      return { ...state, signatures: { ...state.signatures, [party]: { signatory, signedOn } } };
    }
    case 'ConventionTookEffect':
      return { ...state, status: 'active', effectiveOn: event.data.effectiveOn, endsOn: event.data.endsOn };
    case 'TrancheFellDue':
      return withTranche(state, event.data.tranche, (t) => ({ ...t, dueOn: event.data.dueOn }));
    case 'ExpenseCommitted': {
      const d = event.data;
      const expense: ExpenseState = {
        expenseId: d.expenseId, category: d.category, description: d.description, amount: money(d.amount),
        ...(d.contract !== undefined ? { contract: d.contract } : {}),
        step: 'committed', committedOn: d.committedOn,
      };
      return { ...state, expenses: new Map(state.expenses).set(d.expenseId, expense) };
    }
    case 'ExpenseServiceDone':
      return withExpense(state, event.data.expenseId, (e) => ({ ...e, step: 'service-done', serviceDoneOn: event.data.on }));
    case 'ExpensePaid':
      return withExpense(state, event.data.expenseId, (e) => ({ ...e, step: 'paid', paidOn: event.data.paidOn }));
    case 'ExpenseAccepted':
      return withExpense(state, event.data.expenseId, (e) => ({ ...e, step: 'accepted', acceptedOn: event.data.on }));
    case 'ExpenseRejected': {
      const { on, reason, atStep } = event.data;
      const next = withExpense(state, event.data.expenseId, (e) => ({ ...e, rejection: { on, reason, atStep } }));
      return next.termination ? recomputeTermination(next, { ...next.termination, dueParticipation: dueParticipationOn(next, next.termination.on) }) : next;
    }
    case 'StatementDrawnUp': {
      const d = event.data;
      const statement: StatementState = {
        number: d.number, cutoff: d.cutoff, final: d.final, lines: d.lines,
        total: money(d.total), cumulativeTotal: money(d.cumulativeTotal), signatures: [],
      };
      let next: RegisteredConvention = { ...state, statements: [...state.statements, statement] };
      for (const line of d.lines) next = withExpense(next, line.expenseId, (e) => ({ ...e, statement: d.number }));
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
      const next: RegisteredConvention = {
        ...withTranche(state, d.tranche, (t) => ({ ...t, paid: t.paid.plus(amount) })),
        payments: [...state.payments, {
          paymentId: d.paymentId, tranche: d.tranche, amount, paidOn: d.paidOn,
          ...(d.reference !== undefined ? { reference: d.reference } : {}),
        }],
        received: state.received.plus(amount),
      };
      return next.termination ? recomputeTermination(next, next.termination) : next;
    }
    case 'ConventionAmended': {
      const d = event.data;
      const kept = new Map(state.tranches.filter((t) => t.dueOn !== undefined).map((t) => [t.number, t]));
      const tranches: TrancheState[] = d.tranches.map((t) =>
        kept.get(t.number) ?? { number: t.number, amount: money(t.amount), release: releaseOf(t), paid: ZERO });
      return {
        ...state, ceiling: money(d.ceiling), durationMonths: d.durationMonths, tranches, endsOn: d.endsOn,
        amendments: Math.max(state.amendments, d.number), lastAmendedOn: d.signedOn,
      };
    }
    case 'ConventionClosed':
      return {
        ...state, status: 'closed', closure: { on: event.data.on, statement: event.data.statement },
        restitutionDue: money(event.data.restitutionDue),
      };
    case 'ConventionTerminated': {
      const d = event.data;
      return recomputeTermination({ ...state, status: 'terminated' },
        { on: d.on, reason: d.reason, atFault: d.atFault, dueParticipation: money(d.dueParticipation) });
    }
    case 'RestitutionPaid': {
      const d = event.data;
      const amount = money(d.amount);
      return {
        ...state,
        restitutions: [...state.restitutions, { restitutionId: d.restitutionId, amount, paidOn: d.paidOn }],
        restitutionPaid: state.restitutionPaid.plus(amount),
      };
    }
    case 'ConventionSettled':
      return { ...state, status: 'settled', settledOn: event.data.on };
    default:
      return state;
  }
}

function withTranche(state: RegisteredConvention, number: number, change: (t: TrancheState) => TrancheState): RegisteredConvention {
  return { ...state, tranches: state.tranches.map((t) => (t.number === number ? change(t) : t)) };
}

function withExpense(state: RegisteredConvention, expenseId: string, change: (e: ExpenseState) => ExpenseState): RegisteredConvention {
  const current = state.expenses.get(expenseId);
  if (!current) return state;
  return { ...state, expenses: new Map(state.expenses).set(expenseId, change(current)) };
}

function recomputeTermination(state: RegisteredConvention, termination: NonNullable<RegisteredConvention['termination']>): RegisteredConvention {
  return {
    ...state,
    termination,
    restitutionDue: maxMoney(ZERO, state.received.minus(termination.dueParticipation)),
    owedToBeneficiary: maxMoney(ZERO, termination.dueParticipation.minus(state.received)),
  };
}
