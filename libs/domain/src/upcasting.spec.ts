import { SCHEMA_VERSIONS, conventionIdOf, conventionStream } from './events';
import { fold } from './evolve';
import { figuresOf, type RegisteredConvention } from './state';
import { isConventionEventType, upcast } from './upcasting';

describe('reading stored events (schema versions)', () => {
  it('reads a current-version event as it is', () => {
    const stored = { type: 'ConventionSettled', schemaVersion: SCHEMA_VERSIONS.ConventionSettled, data: { on: '2021-07-30' } };
    expect(upcast(stored)).toEqual({ type: 'ConventionSettled', schemaVersion: SCHEMA_VERSIONS.ConventionSettled, data: { on: '2021-07-30' } });
  });

  it('takes an event without a version as version 1', () => {
    expect(upcast({ type: 'ConventionSettled', data: { on: '2021-07-30' } }).schemaVersion).toBe(1);
  });

  it('refuses unknown types and versions newer than this code understands', () => {
    expect(isConventionEventType('Nope')).toBe(false);
    expect(() => upcast({ type: 'Nope', data: {} })).toThrow(/unknown event type/);
    expect(() => upcast({ type: 'ConventionSettled', schemaVersion: SCHEMA_VERSIONS.ConventionSettled + 1, data: {} })).toThrow(/newer/);
  });

  it('maps a convention to its stream and back; other streams belong to no convention', () => {
    expect(conventionIdOf(conventionStream('abc-1'))).toBe('abc-1');
    expect(conventionIdOf('$settings')).toBeUndefined();
  });
});

/** Payloads exactly as version 1 of the ledger wrote them (before domain v2). */
const V1 = {
  registered: {
    type: 'ConventionRegistered', schemaVersion: 1, data: {
      conventionId: 'c1', reference: 'R-1', title: 'T',
      funder: { name: 'ANCT', representative: 'Y', bankAccount: { bankCode: '10071', branchCode: '59000', accountNumber: '00001020148', key: '89' } },
      beneficiary: { name: 'DINUM', representative: 'N', bankAccount: { bankCode: '30001', branchCode: '00064', accountNumber: '00000092441', key: '40' } },
      ceiling: '1600000.00', durationMonths: 12, expenseCategories: [],
      tranches: [{ number: 1, amount: '800000.00', release: { on: 'signature' } }, { number: 2, amount: '800000.00', release: { on: 'consumption', threshold: '600000.00' } }],
    },
  },
  statement: {
    type: 'StatementDrawnUp', schemaVersion: 1, data: {
      number: 2, cutoff: '2021-05-11', final: true,
      lines: [{ expenseId: 'e2', category: 'devops', description: 'd', amount: '100.00', committedOn: '2021-01-04', serviceDoneOn: '2021-03-31', paidOn: '2021-04-15' }],
      total: '100.00', cumulativeTotal: '600.50',
    },
  },
  closed: { type: 'ConventionClosed', schemaVersion: 1, data: { on: '2021-06-01', statement: 2, consumed: '600.50', received: '800000.00', restitutionDue: '799399.50' } },
  terminated: {
    type: 'ConventionTerminated', schemaVersion: 1, data: {
      on: '2020-07-01', reason: 'faute', atFault: 'beneficiary', dueParticipation: '300000.00', received: '800000.00',
      restitutionDue: '500000.00', owedToBeneficiary: '0.00',
    },
  },
};

describe('upcasting version-1 events to the v2 schema', () => {
  it('ConventionRegistered v1 → v2: parties recorded before v2 name no organisation (T1): \'\'', () => {
    const upcast1 = upcast(V1.registered);
    expect(upcast1.schemaVersion).toBe(2);
    expect(upcast1.data).toEqual({
      ...V1.registered.data,
      funder: { ...V1.registered.data.funder, organisation: '' },
      beneficiary: { ...V1.registered.data.beneficiary, organisation: '' },
    });
  });

  it('StatementDrawnUp v1 → v2: drawn up on its cutoff, no corrections, the previous total is what came before its new lines (D1)', () => {
    expect(upcast(V1.statement)).toEqual({
      type: 'StatementDrawnUp', schemaVersion: 2,
      data: { ...V1.statement.data, drawnUpOn: '2021-05-11', corrections: [], previousCumulativeTotal: '500.50' },
    });
  });

  it('ConventionClosed v1 → v2: participation = consumption, nothing owed to the beneficiary (v1 refused closure then), no lapse recorded (C1)', () => {
    expect(upcast(V1.closed)).toEqual({
      type: 'ConventionClosed', schemaVersion: 2,
      data: { ...V1.closed.data, participation: '600.50', owedToBeneficiary: '0.00', lapsedTranches: [] },
    });
  });

  it('ConventionTerminated v1 → v2: decided and effective on its date, by the funder (the only role v1 allowed), participation = due participation, figures final (no liquidation in v1) (X1)', () => {
    expect(upcast(V1.terminated)).toEqual({
      type: 'ConventionTerminated', schemaVersion: 2,
      data: {
        decidedOn: '2020-07-01', effectiveOn: '2020-07-01', decidedBy: 'funder', reason: 'faute', atFault: 'beneficiary',
        participation: '300000.00', received: '800000.00', restitutionDue: '500000.00', owedToBeneficiary: '0.00', lapsedTranches: [], figuresFinal: true,
      },
    });
  });

  it('every event type has an upcaster from each older version to the current one', () => {
    for (const [type, version] of Object.entries(SCHEMA_VERSIONS)) {
      for (let from = 1; from < version; from++) {
        const sample = Object.values(V1).find((e) => e.type === type);
        expect(sample).toBeDefined();
        expect(upcast({ ...sample!, schemaVersion: from }).schemaVersion).toBe(version);
      }
    }
  });

  it('a version-1 history replays into the v2 state and figures (closed, then settled by restitution)', () => {
    const stored = [
      V1.registered,
      { type: 'ConventionSigned', data: { party: 'funder', signatory: 'Y', signedOn: '2020-05-11' } },
      { type: 'ConventionSigned', data: { party: 'beneficiary', signatory: 'N', signedOn: '2020-05-11' } },
      { type: 'ConventionTookEffect', data: { effectiveOn: '2020-05-11', endsOn: '2021-05-11' } },
      { type: 'TrancheFellDue', data: { tranche: 1, amount: '800000.00', dueOn: '2020-05-11', cause: 'signature' } },
      { type: 'TranchePaid', data: { paymentId: 'p1', tranche: 1, amount: '800000.00', paidOn: '2020-05-20' } },
      { type: 'ExpenseCommitted', data: { expenseId: 'e1', category: 'devops', description: 'd', amount: '500000.00', committedOn: '2020-06-01' } },
      { type: 'ExpenseServiceDone', data: { expenseId: 'e1', on: '2020-06-01' } },
      { type: 'ExpensePaid', data: { expenseId: 'e1', paidOn: '2020-06-01' } },
      { type: 'ExpenseAccepted', data: { expenseId: 'e1', on: '2020-06-01' } },
      {
        type: 'StatementDrawnUp', schemaVersion: 1, data: {
          number: 1, cutoff: '2021-05-11', final: true, total: '500000.00', cumulativeTotal: '500000.00',
          lines: [{ expenseId: 'e1', category: 'devops', description: 'd', amount: '500000.00', committedOn: '2020-06-01', serviceDoneOn: '2020-06-01', paidOn: '2020-06-01' }],
        },
      },
      { type: 'StatementSigned', data: { number: 1, as: 'authorizing-officer', signatory: 'A', subject: 'a', signedOn: '2021-05-12' } },
      { type: 'StatementSigned', data: { number: 1, as: 'public-accountant', signatory: 'B', subject: 'b', signedOn: '2021-05-12' } },
      { type: 'ConventionClosed', schemaVersion: 1, data: { on: '2021-06-01', statement: 1, consumed: '500000.00', received: '800000.00', restitutionDue: '300000.00' } },
      { type: 'RestitutionPaid', data: { restitutionId: 'r1', amount: '300000.00', paidOn: '2021-07-01' } },
      { type: 'ConventionSettled', data: { on: '2021-07-01' } },
    ];
    const state = fold(stored.map(upcast)) as RegisteredConvention;
    expect(state).toMatchObject({ status: 'settled', funder: { organisation: '' }, statements: [{ drawnUpOn: '2021-05-11', corrections: [] }] });
    const figures = figuresOf(state);
    expect([figures.status, figures.participation!.toFixed(2), figures.restitution.outstanding.toFixed(2), figures.outstanding.toFixed(2)])
      .toEqual(['settled', '500000.00', '0.00', '0.00']);
  });
});
