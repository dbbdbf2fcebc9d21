import { formatMoney, type ConventionCommand, type ConventionEvent } from '@cl/domain';
import type { Figures } from '@cl/domain/figures';
import type { Balance } from '@cl/read-models';
import {
  activeSeed, closure, eur, expense, payment, rejection, restitution, settlementPayment, signedStatement, termination,
} from '../../../libs/domain/testing/builders';
import { historyOf } from '../../../libs/domain/testing/specification';

/**
 * Histories decided by the domain itself (decide + evolve, libs/domain/testing), so that the read
 * side is checked against what the command side really records, v2 events included.
 */
export interface DomainScenario {
  conventionId: string;
  /** Every event, in order, as decide emitted them. */
  events: ConventionEvent[];
  /** Business dates worth asking the figures about: around each fact. */
  dates: string[];
}

const E1 = { committedOn: '2020-06-01', serviceDoneOn: '2020-09-30', paidOn: '2020-10-15', acceptedOn: '2020-11-15' };
const E2 = { committedOn: '2020-07-01', serviceDoneOn: '2020-10-31', paidOn: '2020-11-30', acceptedOn: '2020-12-20' };
const E3 = { committedOn: '2021-01-10', serviceDoneOn: '2021-02-15', paidOn: '2021-03-01', acceptedOn: '2021-03-15' };

const fundCall = (tranche: number, statement: number, issuedOn: string): ConventionCommand => ({ type: 'IssueFundCall', tranche, statement, issuedOn });
const accept = (expenseId: string, on: string): ConventionCommand => ({ type: 'AcceptExpense', expenseId, on });

/**
 * Closed with tranches 2 and 3 never called though their thresholds were reached (C1 v2):
 * 1,100,000.00 consumed, 800,000.00 received, so 300,000.00 owed to the beneficiary, paid by a
 * settlement payment on 2021-07-20 (R2), which settles the convention.
 */
export const CLOSED_OWING: ConventionCommand[] = [
  payment('pay-1', 1, '800000.00', '2020-06-15'),
  ...expense('e1', '700000.00', E1),
  ...expense('e2', '400000.00', { committedOn: '2020-07-01', serviceDoneOn: '2021-02-01', paidOn: '2021-03-01', acceptedOn: '2021-03-15' }),
  ...signedStatement(1, '2021-05-11', true, '2021-05-20', '2021-05-15'),
  closure('2021-06-30', 1),
  settlementPayment('set-1', '300000.00', '2021-07-20', 'VIR-SOLDE-2021'),
];

/**
 * Terminated (decided 2020-12-10, in effect 2020-12-15) with 900,000.00 of service done before
 * the effect but accepted during the liquidation (2021-01-10); provisional until the final
 * statement is signed (2021-01-20); 100,000.00 owed to the beneficiary, paid on 2021-02-01.
 */
export const TERMINATED_LIQUIDATED: ConventionCommand[] = [
  payment('pay-1', 1, '800000.00', '2020-06-15'),
  ...expense('e1', '900000.00', { committedOn: '2020-06-01', serviceDoneOn: '2020-11-30', paidOn: '2020-12-05' }),
  termination('2020-12-15', { decidedOn: '2020-12-10', decidedBy: 'beneficiary', atFault: 'funder', reason: 'financement interrompu' }),
  accept('e1', '2021-01-10'),
  ...signedStatement(1, '2020-12-15', true, '2021-01-20', '2021-01-15'),
  settlementPayment('set-1', '100000.00', '2021-02-01'),
];

/**
 * The reference case decided by the domain, settled on 2021-08-15, then a late rejection of e3
 * (E3, 2021-09-10, with a recovery order) reopens it: 50,000.00 to give back, paid on 2021-10-01,
 * which settles it again.
 */
export const SETTLED_THEN_REOPENED: ConventionCommand[] = [
  payment('pay-1', 1, '800000.00', '2020-06-15'),
  ...expense('e1', '400000.00', E1),
  ...expense('e2', '210000.75', E2, 'design'),
  ...signedStatement(1, '2020-12-31', false, '2021-01-06', '2021-01-04'),
  fundCall(2, 1, '2021-01-10'),
  payment('pay-2', 2, '250000.00', '2021-02-01'),
  payment('pay-3', 2, '150000.00', '2021-02-20'),
  ...expense('e3', '50000.00', E3, 'coaching'),
  ...signedStatement(2, '2021-05-11', true, '2021-05-21', '2021-05-15'),
  closure('2021-06-30', 2),
  restitution('rest-1', '539999.25', '2021-08-15'),
  rejection('e3', '2021-09-10', 'prestation non conforme', 'TP-2021-0042'),
  restitution('rest-2', '50000.00', '2021-10-01'),
];

/**
 * Active, with a correction (D1 v2): e2, listed on statement 1, is rejected on 2021-02-01;
 * statement 2 (drawn up 2021-04-02) lists e3 and takes e2 back out (-210,000.75). Details on e3.
 */
export const CORRECTED: ConventionCommand[] = [
  ...expense('e1', '400000.00', E1),
  ...expense('e2', '210000.75', E2, 'design'),
  ...signedStatement(1, '2020-12-31', false, '2021-01-06', '2021-01-04'),
  rejection('e2', '2021-02-01', 'hors périmètre, "UX" non prévue', 'TP-2021-0007'),
  {
    type: 'CommitExpense', expenseId: 'e3', category: 'coaching', description: 'coaching, équipe produit', amount: eur('50000.00'),
    committedOn: E3.committedOn, payee: { name: 'Beta Coaching', siret: '73282932000074' }, commitmentNumber: 'EJ-2021-0003',
  },
  { type: 'RecordServiceDone', expenseId: 'e3', on: E3.serviceDoneOn, invoice: { number: 'F-77', issuedOn: '2021-02-14' } },
  { type: 'RecordExpensePayment', expenseId: 'e3', paidOn: E3.paidOn, paymentOrder: 'MDT-2021-0301' },
  accept('e3', E3.acceptedOn),
  { type: 'DrawUpStatement', cutoff: '2021-03-31', final: false, drawnUpOn: '2021-04-02' },
];

/** Decides the commands after the seed's registration and signatures (2020-05-11) for this convention. */
export function scenario(conventionId: string, commands: readonly ConventionCommand[]): DomainScenario {
  const seed = activeSeed().map((e) => (e.type === 'ConventionRegistered' ? { ...e, data: { ...e.data, conventionId } } : e));
  const events = historyOf(commands, seed);
  return { conventionId, events, dates: datesAround(events) };
}

/** Every business date an event carries, with the day before each, sorted. */
export function datesAround(events: readonly { data: object }[]): string[] {
  const dates = new Set<string>();
  const visit = (value: unknown) => {
    if (typeof value === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(value)) {
      dates.add(value);
      const day = new Date(`${value}T00:00:00Z`);
      day.setUTCDate(day.getUTCDate() - 1);
      dates.add(day.toISOString().slice(0, 10));
    } else if (value && typeof value === 'object') {
      for (const inner of Object.values(value)) visit(inner);
    }
  };
  for (const e of events) visit(e.data);
  return [...dates].sort();
}

/**
 * The domain's figures in the balance's shape, written independently of the read side's
 * formatter: what the balance must show, field by field.
 */
export function expectedBalance(conventionId: string, figures: Figures, asOf?: string): Balance {
  const t = formatMoney;
  const owed = (o: Figures['restitution']) => ({ due: t(o.due), paid: t(o.paid), outstanding: t(o.outstanding) });
  return {
    conventionId,
    asOf: asOf ?? null,
    status: figures.status,
    ceiling: t(figures.ceiling),
    committed: t(figures.committed),
    serviceDone: t(figures.serviceDone),
    paid: t(figures.paid),
    consumed: t(figures.consumed),
    rejected: t(figures.rejected),
    called: t(figures.called),
    due: t(figures.due),
    received: t(figures.received),
    outstanding: t(figures.outstanding),
    remainingCeiling: t(figures.remainingCeiling),
    tranches: figures.tranches.map((tr) => ({ number: tr.number, amount: t(tr.amount), status: tr.status, paid: t(tr.paid) })),
    ...(figures.participation ? { participation: t(figures.participation) } : {}),
    provisional: figures.provisional,
    restitution: owed(figures.restitution),
    owedToBeneficiary: owed(figures.owedToBeneficiary),
  };
}
