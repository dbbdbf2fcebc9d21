import { randomUUID } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { conventionStream, event, type ConventionEvent } from '@cl/domain';
import { SqliteEventStore, type EventStore } from '@cl/event-store';
import type { ReadModelTestDb } from './read-model-dialects';

export interface Actor {
  subject: string;
  roles: string[];
}

export const FUNDER: Actor = { subject: 'anct-finance', roles: ['funder'] };
export const BENEFICIARY: Actor = { subject: 'dinum-finance', roles: ['beneficiary'] };
export const ACCOUNTANT: Actor = { subject: 'comptable-cbcm', roles: ['public-accountant'] };
export const OFFICER: Actor = { subject: 'ordonnateur-dinum', roles: ['authorizing-officer'] };

/** An event as the store holds it: its type, the schema version it was written with, its payload. */
export interface StoredEventShape {
  type: string;
  schemaVersion: number;
  data: object;
}

/**
 * Appends events as stored (any schema version) to a convention's stream of any event store, with
 * the metadata the API writes; returns the global position of the last event.
 */
export async function appendStoredEvents(
  store: EventStore, conventionId: string, events: readonly StoredEventShape[], actor: Actor = FUNDER,
): Promise<number> {
  const requestId = randomUUID();
  const result = await store.appendToStream(conventionStream(conventionId), events.map((domainEvent) => ({
    id: randomUUID(),
    type: domainEvent.type,
    data: domainEvent.data as unknown as Record<string, unknown>,
    metadata: {
      actor,
      recordedAt: '2024-01-02T03:04:05.000Z',
      requestId,
      correlationId: requestId,
      causationId: requestId,
      schemaVersion: domainEvent.schemaVersion,
    },
  })), 'any');
  return result.position;
}

/** A real embedded event store in a temporary directory. */
export class LedgerFixture {
  private constructor(readonly dir: string, readonly eventsFile: string, readonly store: SqliteEventStore) {}

  static open(): LedgerFixture {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cl-ledger-'));
    const eventsFile = path.join(dir, 'events.sqlite');
    return new LedgerFixture(dir, eventsFile, new SqliteEventStore(eventsFile, { pollIntervalMs: 20 }));
  }

  /** Appends to the convention's stream; returns the global position of the last event. */
  append(conventionId: string, events: readonly ConventionEvent[], actor: Actor = FUNDER): Promise<number> {
    return this.appendStored(conventionId, events, actor);
  }

  /** Appends events as stored, of any schema version (e.g. v1 histories written before v2). */
  appendStored(conventionId: string, events: readonly StoredEventShape[], actor: Actor = FUNDER): Promise<number> {
    return appendStoredEvents(this.store, conventionId, events, actor);
  }

  async close(): Promise<void> {
    await this.store.close();
    fs.rmSync(this.dir, { recursive: true, force: true });
  }
}

export const SEED_TERMS = {
  reference: 'ANCT-DINUM-2020',
  title: 'Convention de partenariat ANCT – DINUM : incubateur de services numériques',
  funder: {
    name: 'Agence nationale de la cohésion des territoires',
    representative: 'Yves Le Breton',
    organisation: '130026032',
    bankAccount: { bankCode: '10071', branchCode: '59000', accountNumber: '00001020148', key: '89' },
  },
  beneficiary: {
    name: 'Direction interministérielle du numérique',
    representative: 'Nadi Bou Hanna',
    organisation: '120027016',
    accountingOrganisation: 'SCBCM-SPM',
    bankAccount: { bankCode: '30001', branchCode: '00064', accountNumber: '00000092441', key: '40', holder: 'SCBCM SERVICES PREMIER MINISTRE' },
  },
  ceiling: '1600000.00',
  durationMonths: 12,
  tranches: [
    { number: 1, amount: '800000.00', release: { on: 'signature' as const } },
    { number: 2, amount: '400000.00', release: { on: 'consumption' as const, threshold: '600000.00' } },
    { number: 3, amount: '400000.00', release: { on: 'consumption' as const, threshold: '1000000.00' } },
  ],
  expenseCategories: ['devops', 'design', 'deployment', 'coaching'],
  budget: { fondsDeConcours: '1-2-00548', programme: '352', bop: '0352-CFSE' },
};

export const registered = (conventionId: string, reference = SEED_TERMS.reference) =>
  event('ConventionRegistered', { ...SEED_TERMS, conventionId, reference });

/** Registered, signed by both on 2020-05-11, in effect, tranche 1 due (S1, S2). */
export const inEffect = (conventionId: string, reference?: string): ConventionEvent[] => [
  registered(conventionId, reference),
  event('ConventionSigned', { party: 'funder', signatory: 'Yves Le Breton', signedOn: '2020-05-11' }),
  event('ConventionSigned', { party: 'beneficiary', signatory: 'Nadi Bou Hanna', signedOn: '2020-05-11' }),
  event('ConventionTookEffect', { effectiveOn: '2020-05-11', endsOn: '2021-05-11' }),
  event('TrancheFellDue', { tranche: 1, amount: '800000.00', dueOn: '2020-05-11', cause: 'signature' }),
];

/** E1/E2 (v2): the details an expense may carry, recorded with its steps. */
export interface ExpenseDetails {
  payee?: { name: string; siret?: string };
  commitmentNumber?: string;
  invoice?: { number: string; issuedOn: string };
  paymentOrder?: string;
}

export const acceptedExpense = (
  expenseId: string, category: string, amount: string,
  dates: { committedOn: string; serviceDoneOn: string; paidOn: string; acceptedOn: string },
  description = `${category} work`,
  details: ExpenseDetails = {},
): ConventionEvent[] => [
  event('ExpenseCommitted', {
    expenseId, category, description, amount, committedOn: dates.committedOn,
    ...(details.payee ? { payee: details.payee } : {}), ...(details.commitmentNumber ? { commitmentNumber: details.commitmentNumber } : {}),
  }),
  event('ExpenseServiceDone', { expenseId, on: dates.serviceDoneOn, ...(details.invoice ? { invoice: details.invoice } : {}) }),
  event('ExpensePaid', { expenseId, paidOn: dates.paidOn, ...(details.paymentOrder ? { paymentOrder: details.paymentOrder } : {}) }),
  event('ExpenseAccepted', { expenseId, on: dates.acceptedOn }),
];

export const E1 = { committedOn: '2020-06-01', serviceDoneOn: '2020-09-30', paidOn: '2020-10-15', acceptedOn: '2020-11-15' };
export const E2 = { committedOn: '2020-07-01', serviceDoneOn: '2020-10-31', paidOn: '2020-11-30', acceptedOn: '2020-12-20' };
export const E3 = { committedOn: '2021-01-10', serviceDoneOn: '2021-02-15', paidOn: '2021-03-01', acceptedOn: '2021-03-15' };

/** e1's details (E1, E2): a payee with a SIRET, a commitment number, an invoice and a payment order. */
export const E1_DETAILS: ExpenseDetails = {
  payee: { name: 'Octo Technology', siret: '41878960300044' },
  commitmentNumber: 'EJ-2020-0042',
  invoice: { number: 'F-2020-117', issuedOn: '2020-09-30' },
  paymentOrder: 'MDT-2020-0815',
};

const line = (expenseId: string, category: string, amount: string, dates: typeof E1, details: ExpenseDetails = {}) => ({
  expenseId, category, description: `${category} work`, amount,
  committedOn: dates.committedOn, serviceDoneOn: dates.serviceDoneOn, paidOn: dates.paidOn, ...details,
});

/**
 * The reference case (docs/domain-rules.md) from registration to settlement, in the v2 shapes:
 * 610,000.75 accepted by 2020-12-31 in statement 1 (drawn up on 2021-01-04), tranche 2 called
 * and paid in two parts, 50,000.00 more accepted in 2021 (final statement 2, drawn up on
 * 2021-05-15), one expense rejected, closure with 539,999.25 to restitute (tranche 3 lapses),
 * paid back in two parts.
 */
export function referenceCase(conventionId: string): ConventionEvent[] {
  return [
    ...inEffect(conventionId),
    event('TranchePaid', { paymentId: 'pay-1', tranche: 1, amount: '800000.00', paidOn: '2020-06-15', reference: 'VIR-2020-001' }),
    ...acceptedExpense('e1', 'devops', '400000.00', E1, 'devops work', E1_DETAILS),
    ...acceptedExpense('e2', 'design', '210000.75', E2, 'design, "UX" research'),
    event('ExpenseCommitted', { expenseId: 'e4', category: 'deployment', description: 'hors périmètre', amount: '30000.00', committedOn: '2020-08-01' }),
    event('ExpenseRejected', { expenseId: 'e4', on: '2020-09-01', reason: 'not eligible', atStep: 'committed' }),
    event('StatementDrawnUp', {
      number: 1, cutoff: '2020-12-31', drawnUpOn: '2021-01-04', final: false,
      lines: [line('e1', 'devops', '400000.00', E1, E1_DETAILS), { ...line('e2', 'design', '210000.75', E2), description: 'design, "UX" research' }],
      corrections: [], total: '610000.75', previousCumulativeTotal: '0.00', cumulativeTotal: '610000.75',
    }),
    event('StatementSigned', { number: 1, as: 'authorizing-officer', signatory: 'Ordonnateur DINUM', subject: 'ordonnateur-dinum', signedOn: '2021-01-05' }),
    event('StatementSigned', { number: 1, as: 'public-accountant', signatory: 'Comptable CBCM', subject: 'comptable-cbcm', signedOn: '2021-01-06' }),
    event('FundCallIssued', { tranche: 2, statement: 1, issuedOn: '2021-01-10', statementCumulativeTotal: '610000.75' }),
    event('TrancheFellDue', { tranche: 2, amount: '400000.00', dueOn: '2021-01-10', cause: 'fund-call' }),
    event('TranchePaid', { paymentId: 'pay-2', tranche: 2, amount: '250000.00', paidOn: '2021-02-01' }),
    event('TranchePaid', { paymentId: 'pay-3', tranche: 2, amount: '150000.00', paidOn: '2021-02-20' }),
    ...acceptedExpense('e3', 'coaching', '50000.00', E3),
    event('StatementDrawnUp', {
      number: 2, cutoff: '2021-05-11', drawnUpOn: '2021-05-15', final: true, lines: [line('e3', 'coaching', '50000.00', E3)],
      corrections: [], total: '50000.00', previousCumulativeTotal: '610000.75', cumulativeTotal: '660000.75',
    }),
    event('StatementSigned', { number: 2, as: 'authorizing-officer', signatory: 'Ordonnateur DINUM', subject: 'ordonnateur-dinum', signedOn: '2021-05-20' }),
    event('StatementSigned', { number: 2, as: 'public-accountant', signatory: 'Comptable CBCM', subject: 'comptable-cbcm', signedOn: '2021-05-21' }),
    event('ConventionClosed', {
      on: '2021-06-30', statement: 2, consumed: '660000.75', participation: '660000.75', received: '1200000.00',
      restitutionDue: '539999.25', owedToBeneficiary: '0.00', lapsedTranches: [3],
    }),
    event('RestitutionPaid', { restitutionId: 'rest-1', amount: '300000.00', paidOn: '2021-07-15' }),
    event('RestitutionPaid', { restitutionId: 'rest-2', amount: '239999.25', paidOn: '2021-08-15' }),
    event('ConventionSettled', { on: '2021-08-15' }),
  ];
}

/**
 * The reference case as a ledger written before v2 stored it: parties without organisation,
 * expenses without details, statements v1 (no drawnUpOn, corrections nor previous total),
 * closure v1 (no participation). Read through upcast().
 */
export function referenceCaseV1(conventionId: string): StoredEventShape[] {
  const v1 = (e: ConventionEvent, data: object = e.data): StoredEventShape => ({ type: e.type, schemaVersion: 1, data });
  const { organisation: _f, ...funder } = SEED_TERMS.funder;
  const { organisation: _b, accountingOrganisation: _a, ...beneficiary } = SEED_TERMS.beneficiary;
  const bankAccount = { bankCode: beneficiary.bankAccount.bankCode, branchCode: beneficiary.bankAccount.branchCode, accountNumber: beneficiary.bankAccount.accountNumber, key: beneficiary.bankAccount.key };
  return referenceCase(conventionId).map((e) => {
    switch (e.type) {
      case 'ConventionRegistered':
        return v1(e, { ...e.data, funder, beneficiary: { ...beneficiary, bankAccount } });
      case 'StatementDrawnUp': {
        const { drawnUpOn: _d, corrections: _c, previousCumulativeTotal: _p, ...data } = e.data;
        return v1(e, { ...data, lines: data.lines.map(({ payee: _pa, commitmentNumber: _n, invoice: _i, paymentOrder: _o, ...rest }) => rest) });
      }
      case 'ConventionClosed': {
        const { participation: _p, owedToBeneficiary: _o, lapsedTranches: _l, ...data } = e.data;
        return v1(e, data);
      }
      case 'ExpenseCommitted': {
        const { payee: _p, commitmentNumber: _n, ...data } = e.data;
        return v1(e, data);
      }
      case 'ExpenseServiceDone': {
        const { invoice: _i, ...data } = e.data;
        return v1(e, data);
      }
      case 'ExpensePaid': {
        const { paymentOrder: _o, ...data } = e.data;
        return v1(e, data);
      }
      default:
        return v1(e);
    }
  });
}

/**
 * A termination as v1 stored it (`on`, `dueParticipation`): 900,000.00 accepted with its service
 * done before 2020-12-15, 800,000.00 received, 100,000.00 owed to the beneficiary.
 */
export function terminatedV1(conventionId: string): StoredEventShape[] {
  return [
    ...referenceCaseV1(conventionId).slice(0, inEffect(conventionId).length + 1),
    ...acceptedExpense('e1', 'devops', '900000.00', E1).map((e) => ({ type: e.type, schemaVersion: 1, data: e.data })),
    {
      type: 'ConventionTerminated', schemaVersion: 1,
      data: {
        on: '2020-12-15', reason: 'beneficiary failed to report', atFault: 'beneficiary',
        dueParticipation: '900000.00', received: '800000.00', restitutionDue: '0.00', owedToBeneficiary: '100000.00',
      },
    },
  ];
}

/**
 * A fresh embedded store and a fresh read-model database for each test of a suite, closed after
 * it. Read `fixture.ledger` and `fixture.readModels` inside the tests.
 */
export function useLedgerAndReadModels(harness: { open(store: EventStore): Promise<ReadModelTestDb> }): { ledger: LedgerFixture; readModels: ReadModelTestDb } {
  const fixture = {} as { ledger: LedgerFixture; readModels: ReadModelTestDb };
  beforeEach(async () => {
    fixture.ledger = LedgerFixture.open();
    fixture.readModels = await harness.open(fixture.ledger.store);
  });
  afterEach(async () => {
    await fixture.readModels.close();
    await fixture.ledger.close();
  });
  return fixture;
}
