import type { Kysely } from 'kysely';
import { money } from '@cl/domain';
import type { LedgerFacts } from '@cl/domain/figures';
import type { ReadModelTables } from '../database/read-model-tables';
import { validOn } from './as-of';

const optional = (date: string | null) => date ?? undefined;

/**
 * The one loader of the facts the figures are computed from (figures.ts): the balance, the
 * stored current balance and stats, and every `?asOf` status read them through it. Undefined
 * for an unknown convention. Sequential queries on purpose: inside a projection transaction
 * there is a single connection.
 */
export async function loadLedgerFacts(db: Kysely<ReadModelTables>, conventionId: string): Promise<LedgerFacts | undefined> {
  const convention = await db.selectFrom('rm_conventions')
    .select(['effective_on', 'closed_on', 'termination_decided_on', 'termination_effective_on', 'termination_figures_final'])
    .where('convention_id', '=', conventionId).executeTakeFirst();
  if (!convention) return undefined;
  const terms = await db.selectFrom('rm_terms').select(['terms_version', 'in_force_from', 'ceiling'])
    .where('convention_id', '=', conventionId).orderBy('terms_version').execute();
  const tranches = await db.selectFrom('rm_tranches').select(['terms_version', 'number', 'amount'])
    .where('convention_id', '=', conventionId).orderBy('terms_version').orderBy('number').execute();
  const expenses = await db.selectFrom('rm_expenses')
    .select(['amount', 'committed_on', 'service_done_on', 'paid_on', 'accepted_on', 'rejected_on'])
    .where('convention_id', '=', conventionId).orderBy('position').execute();
  const moneyFacts = await db.selectFrom('rm_money_facts').select(['kind', 'occurred_on', 'amount', 'tranche', 'cause'])
    .where('convention_id', '=', conventionId).orderBy('position').execute();
  const finalStatements = await db.selectFrom('rm_statements').select('number')
    .where('convention_id', '=', conventionId).where('final', '=', 1).orderBy('number').execute();
  const signatures = finalStatements.length === 0 ? [] : await db.selectFrom('rm_statement_signatures')
    .select(['statement_number', 'signed_as', 'signed_on'])
    .where('convention_id', '=', conventionId).where('statement_number', 'in', finalStatements.map((s) => s.number)).execute();

  const factsOf = (kind: (typeof moneyFacts)[number]['kind']) => moneyFacts.filter((fact) => fact.kind === kind);
  return {
    effectiveOn: optional(convention.effective_on),
    terms: terms.map((version) => ({
      ...(version.in_force_from !== null ? { from: version.in_force_from } : {}),
      ceiling: money(version.ceiling),
      tranches: tranches.filter((t) => t.terms_version === version.terms_version).map((t) => ({ number: t.number, amount: money(t.amount) })),
    })),
    expenses: expenses.map((e) => ({
      amount: money(e.amount),
      committedOn: e.committed_on,
      serviceDoneOn: optional(e.service_done_on),
      paidOn: optional(e.paid_on),
      acceptedOn: optional(e.accepted_on),
      rejectedOn: optional(e.rejected_on),
    })),
    tranchesDue: factsOf('tranche-due').map((fact) => ({
      tranche: fact.tranche!, amount: money(fact.amount), on: fact.occurred_on, cause: fact.cause === 'fund-call' ? 'fund-call' as const : 'signature' as const,
    })),
    tranchePayments: factsOf('tranche-payment').map((fact) => ({ tranche: fact.tranche!, amount: money(fact.amount), on: fact.occurred_on })),
    settlementPayments: factsOf('settlement-payment').map((fact) => ({ amount: money(fact.amount), on: fact.occurred_on })),
    restitutions: factsOf('restitution-payment').map((fact) => ({ amount: money(fact.amount), on: fact.occurred_on })),
    closedOn: optional(convention.closed_on),
    ...(convention.termination_decided_on !== null && convention.termination_effective_on !== null
      ? {
        termination: {
          decidedOn: convention.termination_decided_on, effectiveOn: convention.termination_effective_on,
          ...(convention.termination_figures_final ? { figuresFinal: true } : {}),
        },
      }
      : {}),
    finalStatementsValidOn: finalStatements
      .map((statement) => validOn(signatures.filter((signature) => signature.statement_number === statement.number)))
      .filter((date): date is string => date !== undefined),
  };
}
