import type { Party, PartyRole, TrancheTerms } from '@cl/domain';
import { ibanFromRib } from '@cl/domain';
import type { TermsTable, TranchesTable } from '../database/read-model-tables';
import { termsFactsOf } from '../queries/ledger-facts';
import type { BatchWrites } from './batch-writes';
import type { ConventionState } from './convention-state';
import { moneyText } from './money-text';
import type { ProjectionHandler } from './projection-context';

type PartyTermsColumn = 'name' | 'representative' | 'organisation' | 'accounting_organisation' | 'bank_code' | 'branch_code'
  | 'account_number' | 'rib_key' | 'bank_holder' | 'iban';

/** A party as a version of the terms states it, under its role's prefix (rm_conventions and rm_terms alike). */
function partyColumns(role: PartyRole, party: Party) {
  const account = party.bankAccount;
  return {
    [`${role}_name`]: party.name,
    [`${role}_representative`]: party.representative,
    [`${role}_organisation`]: party.organisation,
    [`${role}_accounting_organisation`]: party.accountingOrganisation ?? null,
    [`${role}_bank_code`]: account.bankCode,
    [`${role}_branch_code`]: account.branchCode,
    [`${role}_account_number`]: account.accountNumber,
    [`${role}_rib_key`]: account.key,
    [`${role}_bank_holder`]: account.holder ?? null,
    [`${role}_iban`]: ibanFromRib(account),
  } as Record<`${PartyRole}_${PartyTermsColumn}`, string | null> as Pick<TermsTable, `${PartyRole}_${PartyTermsColumn}`>;
}

/** A3: a version of the terms, with its tranche schedule, in the timeline and in the figures' facts. */
function addTermsVersion(state: ConventionState, writes: BatchWrites, terms: TermsTable, schedule: TrancheTerms[]): void {
  const tranches: TranchesTable[] = schedule.map((tranche) => ({
    convention_id: terms.convention_id,
    terms_version: terms.terms_version,
    number: tranche.number,
    amount: moneyText(tranche.amount),
    release_on: tranche.release.on,
    threshold: tranche.release.on === 'consumption' ? moneyText(tranche.release.threshold) : null,
  }));
  writes.insert('rm_terms', terms);
  writes.insert('rm_tranches', ...tranches);
  state.terms.push(terms);
  // By number, as the facts read from rm_tranches are.
  state.termsFacts.push(termsFactsOf(terms, [...tranches].sort((a, b) => a.number - b.number)));
}

export const onConventionRegistered: ProjectionHandler<'ConventionRegistered'> = ({ state, writes, conventionId, data, recorded }) => {
  const parties = { ...partyColumns('funder', data.funder), ...partyColumns('beneficiary', data.beneficiary) };
  const expenseCategories = JSON.stringify(data.expenseCategories ?? []);
  state.convention = {
    convention_id: conventionId,
    reference: data.reference,
    title: data.title,
    status: 'draft',
    ...parties,
    funder_signatory: null,
    funder_signed_on: null,
    beneficiary_signatory: null,
    beneficiary_signed_on: null,
    registered_ceiling: moneyText(data.ceiling),
    registered_duration_months: data.durationMonths,
    ceiling: moneyText(data.ceiling),
    duration_months: data.durationMonths,
    expense_categories: expenseCategories,
    budget_fonds_de_concours: data.budget?.fondsDeConcours ?? null,
    budget_programme: data.budget?.programme ?? null,
    budget_bop: data.budget?.bop ?? null,
    effective_on: null,
    ends_on: null,
    amendments_count: 0,
    closed_on: null,
    closure_statement: null,
    termination_decided_on: null,
    termination_effective_on: null,
    termination_decided_by: null,
    termination_reason: null,
    termination_at_fault: null,
    termination_figures_final: null,
    settled_on: null,
    registered_at: recorded.recordedAt,
    last_revision: recorded.revision,
    last_position: recorded.position,
  };
  writes.insert('rm_conventions', state.convention);
  addTermsVersion(state, writes, {
    convention_id: conventionId,
    terms_version: 0,
    in_force_from: null,
    ceiling: moneyText(data.ceiling),
    duration_months: data.durationMonths,
    ends_on: null,
    expense_categories: expenseCategories,
    ...parties,
  }, data.tranches);
};

export const onConventionSigned: ProjectionHandler<'ConventionSigned'> = ({ state, writes, data }) => {
  if (!state.convention) return;
  Object.assign(state.convention, data.party === 'funder'
    ? { funder_signatory: data.signatory, funder_signed_on: data.signedOn }
    : { beneficiary_signatory: data.signatory, beneficiary_signed_on: data.signedOn });
  writes.update('rm_conventions', state.convention);
};

/** S1, M3: in effect, and the registered terms now have their end. */
export const onConventionTookEffect: ProjectionHandler<'ConventionTookEffect'> = ({ state, writes, data }) => {
  if (state.convention) {
    Object.assign(state.convention, { effective_on: data.effectiveOn, ends_on: data.endsOn });
    writes.update('rm_conventions', state.convention);
  }
  const registered = state.terms.find((terms) => terms.terms_version === 0);
  if (registered) {
    registered.ends_on = data.endsOn;
    writes.update('rm_terms', registered);
  }
};

/**
 * A2/A3: a new version of the terms from the amendment's date. The event carries the terms in
 * force after it; amendments recorded before v2 carry no categories nor parties: those stay.
 */
export const onConventionAmended: ProjectionHandler<'ConventionAmended'> = ({ state, writes, conventionId, data, recorded }) => {
  writes.insert('rm_amendments', {
    convention_id: conventionId,
    number: data.number,
    signed_on: data.signedOn,
    funder_signatory: data.signatories.funder,
    beneficiary_signatory: data.signatories.beneficiary,
    changes: JSON.stringify(data.changes),
    position: recorded.position,
  });
  const latest = state.terms.at(-1);
  if (!latest) throw new Error(`ConventionAmended at position ${recorded.position}: convention ${conventionId} has no terms to amend`);
  const { convention_id: _id, terms_version: _version, in_force_from: _from, ...previous } = latest;
  const terms = {
    ...previous,
    ceiling: moneyText(data.ceiling),
    duration_months: data.durationMonths,
    ends_on: data.endsOn,
    ...(data.expenseCategories ? { expense_categories: JSON.stringify(data.expenseCategories) } : {}),
    ...(data.funder ? partyColumns('funder', data.funder) : {}),
    ...(data.beneficiary ? partyColumns('beneficiary', data.beneficiary) : {}),
  };
  addTermsVersion(state, writes, { convention_id: conventionId, terms_version: data.number, in_force_from: data.signedOn, ...terms }, data.tranches);
  if (state.convention) {
    Object.assign(state.convention, terms, { amendments_count: state.convention.amendments_count + 1 });
    writes.update('rm_conventions', state.convention);
  }
};

/** C1: the figures the event carries are evidence only; the figures are recomputed (figures.ts). */
export const onConventionClosed: ProjectionHandler<'ConventionClosed'> = ({ state, writes, data }) => {
  if (!state.convention) return;
  Object.assign(state.convention, { closed_on: data.on, closure_statement: data.statement });
  writes.update('rm_conventions', state.convention);
};

/** X1 (v2): decided on a day by one party, in effect from another; figures recomputed as for closure. */
export const onConventionTerminated: ProjectionHandler<'ConventionTerminated'> = ({ state, writes, data }) => {
  if (!state.convention) return;
  Object.assign(state.convention, {
    termination_decided_on: data.decidedOn,
    termination_effective_on: data.effectiveOn,
    termination_decided_by: data.decidedBy,
    termination_reason: data.reason,
    termination_at_fault: data.atFault,
    termination_figures_final: data.figuresFinal ? 1 : null,
  });
  writes.update('rm_conventions', state.convention);
};

/** R1: may happen several times (a late rejection reopens, a later payment settles again). */
export const onConventionSettled: ProjectionHandler<'ConventionSettled'> = ({ state, writes, conventionId, data, recorded }) => {
  writes.insert('rm_settlements', {
    convention_id: conventionId, position: recorded.position, kind: 'settled', occurred_on: data.on, expense_id: null, restitution_outstanding: null,
  });
  state.settlements.push({ kind: 'settled', occurred_on: data.on });
};

export const onSettlementReopened: ProjectionHandler<'SettlementReopened'> = ({ state, writes, conventionId, data, recorded }) => {
  writes.insert('rm_settlements', {
    convention_id: conventionId, position: recorded.position, kind: 'reopened', occurred_on: data.on,
    expense_id: data.expenseId, restitution_outstanding: moneyText(data.restitutionOutstanding),
  });
  state.settlements.push({ kind: 'reopened', occurred_on: data.on });
};
