import { type BusinessDate, type RegisteredConvention, figuresOf, formatMoney, isStatementValid } from '@cl/domain';
import { figuresText } from './invariants';

/**
 * What the write side says the read side must show (docs/api.md v1.1, /work/notes on the v2
 * domain). Every FIGURE comes from the domain's one figures function, `figuresOf(state, asOf)`
 * (libs/domain/src/figures.ts): no formula is written again here. What is not a figure (which
 * expenses and statements exist as of a date, and what of them is shown) is read from the
 * domain state with the visibility rules of the contract.
 */

/** The balance, now (asOf null) or as of a business date. */
export function expectedBalance(state: RegisteredConvention, asOf: BusinessDate | null = null) {
  return { conventionId: state.conventionId, asOf, ...figuresText(figuresOf(state, asOf ?? undefined)) };
}

export type ExpectedBalance = ReturnType<typeof expectedBalance>;

const knownBy = (asOf: BusinessDate | undefined) => (date: BusinessDate | undefined): date is BusinessDate =>
  date !== undefined && (asOf === undefined || date <= asOf);

/**
 * The expenses committed by `asOf` (all without it), each as known then: a step date, and the
 * detail recorded with that step (invoice with the service done, payment order with the payment),
 * or the rejection (with its recovery order), shows once its date is by then.
 */
export function expectedExpenses(state: RegisteredConvention, asOf?: BusinessDate) {
  const known = knownBy(asOf);
  return [...state.expenses.values()].filter((e) => known(e.committedOn)).map((e) => {
    const serviceDone = known(e.serviceDoneOn);
    const paid = known(e.paidOn);
    const accepted = known(e.acceptedOn);
    const rejected = e.rejection !== undefined && known(e.rejection.on);
    return {
      expenseId: e.expenseId,
      category: e.category,
      description: e.description,
      contract: e.contract ?? null,
      payee: e.payee ?? null,
      commitmentNumber: e.commitmentNumber ?? null,
      amount: formatMoney(e.amount),
      state: rejected ? 'rejected' : accepted ? 'accepted' : paid ? 'paid' : serviceDone ? 'service-done' : 'committed',
      committedOn: e.committedOn,
      serviceDoneOn: serviceDone ? e.serviceDoneOn : null,
      invoice: serviceDone ? e.invoice ?? null : null,
      paidOn: paid ? e.paidOn : null,
      paymentOrder: paid ? e.paymentOrder ?? null : null,
      acceptedOn: accepted ? e.acceptedOn : null,
      rejection: rejected
        ? { on: e.rejection!.on, reason: e.rejection!.reason, atStep: e.rejection!.atStep, recoveryOrder: e.rejection!.recoveryOrder ?? null }
        : null,
    };
  });
}

/**
 * The statements drawn up by `asOf` (v2: shown from their drawnUpOn, not their cutoff), frozen as
 * drawn up (D1), with the signatures signed by then and `valid` recomputed from them.
 */
export function expectedStatements(state: RegisteredConvention, asOf?: BusinessDate) {
  const known = knownBy(asOf);
  return state.statements.filter((s) => known(s.drawnUpOn)).map((s) => {
    const signatures = s.signatures.filter((sig) => known(sig.signedOn));
    return {
      number: s.number,
      cutoff: s.cutoff,
      drawnUpOn: s.drawnUpOn,
      final: s.final,
      lines: s.lines.map((line) => ({ ...line })),
      corrections: s.corrections.map((c) => ({ expenseId: c.expenseId, amount: c.amount, rejectedOn: c.rejectedOn, reason: c.reason })),
      total: formatMoney(s.total),
      previousCumulativeTotal: formatMoney(s.previousCumulativeTotal),
      cumulativeTotal: formatMoney(s.cumulativeTotal),
      signatures: signatures.map((sig) => ({ as: sig.as, signatory: sig.signatory, subject: sig.subject, signedOn: sig.signedOn })),
      valid: isStatementValid({ ...s, signatures }),
    };
  });
}

/** The convention's terms and life, now: status by the figures, terms and parties in force (A2 v2). */
export function expectedConvention(state: RegisteredConvention) {
  const party = (p: RegisteredConvention['funder']) => ({
    name: p.name, representative: p.representative, organisation: p.organisation,
    bankAccount: { bankCode: p.bankAccount.bankCode, branchCode: p.bankAccount.branchCode, accountNumber: p.bankAccount.accountNumber, key: p.bankAccount.key },
  });
  return {
    status: figuresOf(state).status,
    ceiling: formatMoney(state.ceiling),
    durationMonths: state.durationMonths,
    effectiveOn: state.effectiveOn ?? null,
    endsOn: state.endsOn ?? null,
    amendmentsCount: state.amendments,
    closedOn: state.closure?.on ?? null,
    settledOn: state.settledOn ?? null,
    expenseCategories: [...state.expenseCategories],
    funder: party(state.funder),
    beneficiary: party(state.beneficiary),
    termination: state.termination
      ? { decidedOn: state.termination.decidedOn, effectiveOn: state.termination.effectiveOn, decidedBy: state.termination.decidedBy,
        reason: state.termination.reason, atFault: state.termination.atFault }
      : null,
    tranches: state.tranches.map((t) => ({
      number: t.number, amount: formatMoney(t.amount),
      release: t.release.on === 'consumption' ? { on: 'consumption', threshold: formatMoney(t.release.threshold) } : { on: 'signature' },
    })),
  };
}

/** Keeps of `actual` only the keys `expected` has, recursively (for views that carry more than is compared). */
export function projectOnto(actual: unknown, expected: unknown): unknown {
  if (Array.isArray(expected) && Array.isArray(actual)) return actual.map((item, i) => projectOnto(item, expected[i] ?? expected[0]));
  if (expected !== null && typeof expected === 'object' && actual !== null && typeof actual === 'object' && !Array.isArray(actual)) {
    return Object.fromEntries(Object.keys(expected).map((key) => [key, projectOnto((actual as Record<string, unknown>)[key], (expected as Record<string, unknown>)[key])]));
  }
  return actual;
}

/** null and absent say the same ("not known", "none"): both sides drop such keys before comparing. */
function withoutEmpty(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutEmpty);
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== null && v !== undefined).map(([k, v]) => [k, withoutEmpty(v)]));
  }
  return value;
}

/** Lists every field where two JSON-like values differ, as `path: actual ≠ expected`; null ≡ absent. */
export function differences(actual: unknown, expected: unknown, path = ''): string[] {
  return rawDifferences(withoutEmpty(JSON.parse(JSON.stringify(actual ?? null))), withoutEmpty(JSON.parse(JSON.stringify(expected ?? null))), path);
}

function rawDifferences(actual: unknown, expected: unknown, path: string): string[] {
  if (Array.isArray(expected) && Array.isArray(actual)) {
    const out: string[] = [];
    if (actual.length !== expected.length) out.push(`${path}.length: ${actual.length} ≠ ${expected.length} (expected)`);
    for (let i = 0; i < Math.min(actual.length, expected.length); i++) out.push(...rawDifferences(actual[i], expected[i], `${path}[${i}]`));
    return out;
  }
  if (expected !== null && typeof expected === 'object' && actual !== null && typeof actual === 'object' && !Array.isArray(expected) && !Array.isArray(actual)) {
    const keys = new Set([...Object.keys(expected), ...Object.keys(actual)]);
    return [...keys].flatMap((key) =>
      rawDifferences((actual as Record<string, unknown>)[key], (expected as Record<string, unknown>)[key], path ? `${path}.${key}` : key));
  }
  return Object.is(actual, expected) ? [] : [`${path}: ${JSON.stringify(actual)} ≠ ${JSON.stringify(expected)} (expected)`];
}

/** Every money leaf of a balance, by path ('restitution.due', 'owedToBeneficiary.outstanding', ...). */
export function moneyLeaves(value: unknown, path = '', into = new Map<string, string>()): Map<string, string> {
  if (typeof value === 'string' && /^-?[0-9]+\.[0-9]{2}$/.test(value)) into.set(path, value);
  else if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
    for (const [key, item] of Object.entries(value)) moneyLeaves(item, path ? `${path}.${key}` : key, into);
  }
  return into;
}
