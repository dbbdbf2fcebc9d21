import { moneyText } from './money-text';
import type { ProjectionHandler } from './projection-context';

export const onTrancheFellDue: ProjectionHandler<'TrancheFellDue'> = async ({ tx, conventionId, data, recorded }) => {
  await tx.insertInto('rm_money_facts').values({
    convention_id: conventionId, position: recorded.position, kind: 'tranche-due', occurred_on: data.dueOn,
    amount: moneyText(data.amount), tranche: data.tranche, cause: data.cause, payment_id: null, reference: null,
  }).execute();
};

export const onFundCallIssued: ProjectionHandler<'FundCallIssued'> = async ({ tx, conventionId, data, recorded }) => {
  await tx.insertInto('rm_fund_calls').values({
    convention_id: conventionId,
    tranche: data.tranche,
    statement_number: data.statement,
    issued_on: data.issuedOn,
    statement_cumulative_total: moneyText(data.statementCumulativeTotal),
    position: recorded.position,
  }).execute();
};

export const onTranchePaid: ProjectionHandler<'TranchePaid'> = async ({ tx, conventionId, data, recorded }) => {
  await tx.insertInto('rm_money_facts').values({
    convention_id: conventionId, position: recorded.position, kind: 'tranche-payment', occurred_on: data.paidOn,
    amount: moneyText(data.amount), tranche: data.tranche, cause: null, payment_id: data.paymentId, reference: data.reference ?? null,
  }).execute();
};

export const onRestitutionPaid: ProjectionHandler<'RestitutionPaid'> = async ({ tx, conventionId, data, recorded }) => {
  await tx.insertInto('rm_money_facts').values({
    convention_id: conventionId, position: recorded.position, kind: 'restitution-payment', occurred_on: data.paidOn,
    amount: moneyText(data.amount), tranche: null, cause: null, payment_id: data.restitutionId, reference: null,
  }).execute();
};

/** R2 (v2): the funder pays what it owes after the end; counted apart from `received`. */
export const onSettlementPaid: ProjectionHandler<'SettlementPaid'> = async ({ tx, conventionId, data, recorded }) => {
  await tx.insertInto('rm_money_facts').values({
    convention_id: conventionId, position: recorded.position, kind: 'settlement-payment', occurred_on: data.paidOn,
    amount: moneyText(data.amount), tranche: null, cause: null, payment_id: data.paymentId, reference: data.reference ?? null,
  }).execute();
};
