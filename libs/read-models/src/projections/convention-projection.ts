import type { Party, PartyRole, TrancheTerms } from '@cl/domain';
import { ibanFromRib } from '@cl/domain';
import { moneyText } from './money-text';
import type { ProjectionHandler, ReadModelTx } from './projection-context';

function partyColumns(role: PartyRole, party: Party) {
  const account = party.bankAccount;
  return {
    [`${role}_name`]: party.name,
    [`${role}_representative`]: party.representative,
    [`${role}_bank_code`]: account.bankCode,
    [`${role}_branch_code`]: account.branchCode,
    [`${role}_account_number`]: account.accountNumber,
    [`${role}_rib_key`]: account.key,
    [`${role}_iban`]: ibanFromRib(account),
  } as Record<`${PartyRole}_${'name' | 'representative' | 'bank_code' | 'branch_code' | 'account_number' | 'rib_key' | 'iban'}`, string>;
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
  await tx.insertInto('rm_conventions').values({
    convention_id: conventionId,
    reference: data.reference,
    title: data.title,
    status: 'draft',
    ...partyColumns('funder', data.funder),
    funder_signatory: null,
    funder_signed_on: null,
    ...partyColumns('beneficiary', data.beneficiary),
    beneficiary_signatory: null,
    beneficiary_signed_on: null,
    registered_ceiling: moneyText(data.ceiling),
    registered_duration_months: data.durationMonths,
    ceiling: moneyText(data.ceiling),
    duration_months: data.durationMonths,
    expense_categories: JSON.stringify(data.expenseCategories ?? []),
    budget_fonds_de_concours: data.budget?.fondsDeConcours ?? null,
    budget_programme: data.budget?.programme ?? null,
    budget_bop: data.budget?.bop ?? null,
    effective_on: null,
    ends_on: null,
    amendments_count: 0,
    closed_on: null,
    closure_statement: null,
    terminated_on: null,
    termination_reason: null,
    termination_at_fault: null,
    settled_on: null,
    registered_at: recorded.recordedAt,
    last_revision: recorded.revision,
    last_position: recorded.position,
  }).execute();
  await insertTrancheSchedule(tx, conventionId, 0, data.tranches);
};

export const onConventionSigned: ProjectionHandler<'ConventionSigned'> = async ({ tx, conventionId, data }) => {
  const signature = data.party === 'funder'
    ? { funder_signatory: data.signatory, funder_signed_on: data.signedOn }
    : { beneficiary_signatory: data.signatory, beneficiary_signed_on: data.signedOn };
  await tx.updateTable('rm_conventions').set(signature).where('convention_id', '=', conventionId).execute();
};

export const onConventionTookEffect: ProjectionHandler<'ConventionTookEffect'> = async ({ tx, conventionId, data }) => {
  await tx.updateTable('rm_conventions')
    .set({ status: 'active', effective_on: data.effectiveOn, ends_on: data.endsOn })
    .where('convention_id', '=', conventionId).execute();
};

export const onConventionAmended: ProjectionHandler<'ConventionAmended'> = async ({ tx, conventionId, data, recorded }) => {
  await tx.insertInto('rm_amendments').values({
    convention_id: conventionId,
    number: data.number,
    signed_on: data.signedOn,
    funder_signatory: data.signatories.funder,
    beneficiary_signatory: data.signatories.beneficiary,
    changes: JSON.stringify(data.changes),
    ceiling: moneyText(data.ceiling),
    duration_months: data.durationMonths,
    ends_on: data.endsOn,
    position: recorded.position,
  }).execute();
  await insertTrancheSchedule(tx, conventionId, data.number, data.tranches);
  await tx.updateTable('rm_conventions')
    .set((eb) => ({
      ceiling: moneyText(data.ceiling),
      duration_months: data.durationMonths,
      ends_on: data.endsOn,
      amendments_count: eb('amendments_count', '+', 1),
    }))
    .where('convention_id', '=', conventionId).execute();
};

export const onConventionClosed: ProjectionHandler<'ConventionClosed'> = async ({ tx, conventionId, data, recorded }) => {
  await tx.updateTable('rm_conventions')
    .set({ status: 'closed', closed_on: data.on, closure_statement: data.statement })
    .where('convention_id', '=', conventionId).execute();
  await tx.insertInto('rm_money_facts').values({
    convention_id: conventionId, position: recorded.position, kind: 'restitution-due', occurred_on: data.on,
    amount: moneyText(data.restitutionDue), tranche: null, cause: 'closure', payment_id: null, reference: null,
  }).execute();
};

export const onConventionTerminated: ProjectionHandler<'ConventionTerminated'> = async ({ tx, conventionId, data, recorded }) => {
  await tx.updateTable('rm_conventions')
    .set({ status: 'terminated', terminated_on: data.on, termination_reason: data.reason, termination_at_fault: data.atFault })
    .where('convention_id', '=', conventionId).execute();
  const fact = { convention_id: conventionId, position: recorded.position, occurred_on: data.on, tranche: null, cause: 'termination', payment_id: null, reference: null };
  await tx.insertInto('rm_money_facts').values([
    { ...fact, kind: 'restitution-due', amount: moneyText(data.restitutionDue) },
    { ...fact, kind: 'owed-to-beneficiary', amount: moneyText(data.owedToBeneficiary) },
  ]).execute();
};

export const onConventionSettled: ProjectionHandler<'ConventionSettled'> = async ({ tx, conventionId, data }) => {
  await tx.updateTable('rm_conventions').set({ status: 'settled', settled_on: data.on }).where('convention_id', '=', conventionId).execute();
};
