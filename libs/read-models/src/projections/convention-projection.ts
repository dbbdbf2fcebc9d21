import type { Party, PartyRole, TrancheTerms } from '@cl/domain';
import { ibanFromRib } from '@cl/domain';
import type { TermsTable } from '../database/read-model-tables';
import { moneyText } from './money-text';
import type { ProjectionHandler, ReadModelTx } from './projection-context';

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

async function insertTrancheSchedule(tx: ReadModelTx, conventionId: string, termsVersion: number, tranches: TrancheTerms[]) {
  if (tranches.length === 0) return;
  await tx.insertInto('rm_tranches').values(tranches.map((tranche) => ({
    convention_id: conventionId,
    terms_version: termsVersion,
    number: tranche.number,
    amount: moneyText(tranche.amount),
    release_on: tranche.release.on,
    threshold: tranche.release.on === 'consumption' ? moneyText(tranche.release.threshold) : null,
  }))).execute();
}

export const onConventionRegistered: ProjectionHandler<'ConventionRegistered'> = async ({ tx, conventionId, data, recorded }) => {
  const parties = { ...partyColumns('funder', data.funder), ...partyColumns('beneficiary', data.beneficiary) };
  const expenseCategories = JSON.stringify(data.expenseCategories ?? []);
  await tx.insertInto('rm_conventions').values({
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
  }).execute();
  await tx.insertInto('rm_terms').values({
    convention_id: conventionId,
    terms_version: 0,
    in_force_from: null,
    ceiling: moneyText(data.ceiling),
    duration_months: data.durationMonths,
    ends_on: null,
    expense_categories: expenseCategories,
    ...parties,
  }).execute();
  await insertTrancheSchedule(tx, conventionId, 0, data.tranches);
};

export const onConventionSigned: ProjectionHandler<'ConventionSigned'> = async ({ tx, conventionId, data }) => {
  const signature = data.party === 'funder'
    ? { funder_signatory: data.signatory, funder_signed_on: data.signedOn }
    : { beneficiary_signatory: data.signatory, beneficiary_signed_on: data.signedOn };
  await tx.updateTable('rm_conventions').set(signature).where('convention_id', '=', conventionId).execute();
};

/** S1, M3: in effect, and the registered terms now have their end. */
export const onConventionTookEffect: ProjectionHandler<'ConventionTookEffect'> = async ({ tx, conventionId, data }) => {
  await tx.updateTable('rm_conventions')
    .set({ effective_on: data.effectiveOn, ends_on: data.endsOn })
    .where('convention_id', '=', conventionId).execute();
  await tx.updateTable('rm_terms').set({ ends_on: data.endsOn })
    .where('convention_id', '=', conventionId).where('terms_version', '=', 0).execute();
};

/**
 * A2/A3: a new version of the terms from the amendment's date. The event carries the terms in
 * force after it; amendments recorded before v2 carry no categories nor parties: those stay.
 */
export const onConventionAmended: ProjectionHandler<'ConventionAmended'> = async ({ tx, conventionId, data, recorded }) => {
  await tx.insertInto('rm_amendments').values({
    convention_id: conventionId,
    number: data.number,
    signed_on: data.signedOn,
    funder_signatory: data.signatories.funder,
    beneficiary_signatory: data.signatories.beneficiary,
    changes: JSON.stringify(data.changes),
    position: recorded.position,
  }).execute();
  const { convention_id: _id, terms_version: _version, in_force_from: _from, ...previous } = await tx.selectFrom('rm_terms').selectAll()
    .where('convention_id', '=', conventionId).orderBy('terms_version', 'desc').limit(1).executeTakeFirstOrThrow();
  const terms = {
    ...previous,
    ceiling: moneyText(data.ceiling),
    duration_months: data.durationMonths,
    ends_on: data.endsOn,
    ...(data.expenseCategories ? { expense_categories: JSON.stringify(data.expenseCategories) } : {}),
    ...(data.funder ? partyColumns('funder', data.funder) : {}),
    ...(data.beneficiary ? partyColumns('beneficiary', data.beneficiary) : {}),
  };
  await tx.insertInto('rm_terms').values({ convention_id: conventionId, terms_version: data.number, in_force_from: data.signedOn, ...terms }).execute();
  await insertTrancheSchedule(tx, conventionId, data.number, data.tranches);
  await tx.updateTable('rm_conventions')
    .set((eb) => ({ ...terms, amendments_count: eb('amendments_count', '+', 1) }))
    .where('convention_id', '=', conventionId).execute();
};

/** C1: the figures the event carries are evidence only; the figures are recomputed (figures.ts). */
export const onConventionClosed: ProjectionHandler<'ConventionClosed'> = async ({ tx, conventionId, data }) => {
  await tx.updateTable('rm_conventions')
    .set({ closed_on: data.on, closure_statement: data.statement })
    .where('convention_id', '=', conventionId).execute();
};

/** X1 (v2): decided on a day by one party, in effect from another; figures recomputed as for closure. */
export const onConventionTerminated: ProjectionHandler<'ConventionTerminated'> = async ({ tx, conventionId, data }) => {
  await tx.updateTable('rm_conventions')
    .set({
      termination_decided_on: data.decidedOn,
      termination_effective_on: data.effectiveOn,
      termination_decided_by: data.decidedBy,
      termination_reason: data.reason,
      termination_at_fault: data.atFault,
      termination_figures_final: data.figuresFinal ? 1 : null,
    })
    .where('convention_id', '=', conventionId).execute();
};

/** R1: may happen several times (a late rejection reopens, a later payment settles again). */
export const onConventionSettled: ProjectionHandler<'ConventionSettled'> = async ({ tx, conventionId, data, recorded }) => {
  await tx.insertInto('rm_settlements').values({
    convention_id: conventionId, position: recorded.position, kind: 'settled', occurred_on: data.on, expense_id: null, restitution_outstanding: null,
  }).execute();
};

export const onSettlementReopened: ProjectionHandler<'SettlementReopened'> = async ({ tx, conventionId, data, recorded }) => {
  await tx.insertInto('rm_settlements').values({
    convention_id: conventionId, position: recorded.position, kind: 'reopened', occurred_on: data.on,
    expense_id: data.expenseId, restitution_outstanding: moneyText(data.restitutionOutstanding),
  }).execute();
};
