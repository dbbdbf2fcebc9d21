import type { MoneyFactsTable } from '../database/read-model-tables';
import { addMoneyFact } from '../queries/ledger-facts';
import type { ConventionState } from './convention-state';
import { moneyText } from './money-text';
import type { BatchWrites } from './batch-writes';
import type { ProjectionHandler } from './projection-context';

/** A dated money fact: a row of rm_money_facts and a fact of the figures. */
function addFact(state: ConventionState, writes: BatchWrites, fact: MoneyFactsTable): void {
  writes.insert('rm_money_facts', fact);
  addMoneyFact(state.moneyFacts, fact);
}

export const onTrancheFellDue: ProjectionHandler<'TrancheFellDue'> = ({ state, writes, conventionId, data, recorded }) => {
  addFact(state, writes, {
    convention_id: conventionId, position: recorded.position, kind: 'tranche-due', occurred_on: data.dueOn,
    amount: moneyText(data.amount), tranche: data.tranche, cause: data.cause, payment_id: null, reference: null,
  });
};

export const onFundCallIssued: ProjectionHandler<'FundCallIssued'> = ({ writes, conventionId, data, recorded }) => {
  writes.insert('rm_fund_calls', {
    convention_id: conventionId,
    tranche: data.tranche,
    statement_number: data.statement,
    issued_on: data.issuedOn,
    statement_cumulative_total: moneyText(data.statementCumulativeTotal),
    position: recorded.position,
  });
};

export const onTranchePaid: ProjectionHandler<'TranchePaid'> = ({ state, writes, conventionId, data, recorded }) => {
  addFact(state, writes, {
    convention_id: conventionId, position: recorded.position, kind: 'tranche-payment', occurred_on: data.paidOn,
    amount: moneyText(data.amount), tranche: data.tranche, cause: null, payment_id: data.paymentId, reference: data.reference ?? null,
  });
};

export const onRestitutionPaid: ProjectionHandler<'RestitutionPaid'> = ({ state, writes, conventionId, data, recorded }) => {
  addFact(state, writes, {
    convention_id: conventionId, position: recorded.position, kind: 'restitution-payment', occurred_on: data.paidOn,
    amount: moneyText(data.amount), tranche: null, cause: null, payment_id: data.restitutionId, reference: null,
  });
};

/** R2 (v2): the funder pays what it owes after the end; counted apart from `received`. */
export const onSettlementPaid: ProjectionHandler<'SettlementPaid'> = ({ state, writes, conventionId, data, recorded }) => {
  addFact(state, writes, {
    convention_id: conventionId, position: recorded.position, kind: 'settlement-payment', occurred_on: data.paidOn,
    amount: moneyText(data.amount), tranche: null, cause: null, payment_id: data.paymentId, reference: data.reference ?? null,
  });
};
