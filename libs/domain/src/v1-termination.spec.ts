import { figuresOf } from './state';
import { fold } from './evolve';
import { upcast, type StoredEvent } from './upcasting';
import type { RegisteredConvention } from './state';

/**
 * X1 for histories recorded before v2: v1 had no liquidation, so a v1 termination's figures were
 * final at once. The ConventionTerminated v1 upcaster marks them so (`figuresFinal`): the figures
 * are not provisional, and a convention settled under v1 stays settled, in the state and in the
 * figures alike (found by the read side, which shows the figures).
 */
const v1 = (type: string, data: Record<string, unknown>): StoredEvent => ({ type, schemaVersion: 1, data });
const party = (name: string, bankCode: string, branchCode: string, accountNumber: string, key: string) =>
  ({ name, representative: name, bankAccount: { bankCode, branchCode, accountNumber, key } });

const V1_TERMINATED_AND_SETTLED: StoredEvent[] = [
  v1('ConventionRegistered', {
    conventionId: 'c-v1', reference: 'V1-2020', title: 'v1',
    funder: party('ANCT', '10071', '59000', '00001020148', '89'), beneficiary: party('DINUM', '30001', '00064', '00000092441', '40'),
    ceiling: '1600000.00', durationMonths: 12, expenseCategories: [],
    tranches: [
      { number: 1, amount: '800000.00', release: { on: 'signature' } },
      { number: 2, amount: '800000.00', release: { on: 'consumption', threshold: '600000.00' } },
    ],
  }),
  v1('ConventionSigned', { party: 'funder', signatory: 'F', signedOn: '2020-05-11' }),
  v1('ConventionSigned', { party: 'beneficiary', signatory: 'B', signedOn: '2020-05-11' }),
  v1('ConventionTookEffect', { effectiveOn: '2020-05-11', endsOn: '2021-05-11' }),
  v1('TrancheFellDue', { tranche: 1, amount: '800000.00', dueOn: '2020-05-11', cause: 'signature' }),
  v1('TranchePaid', { paymentId: 'p1', tranche: 1, amount: '800000.00', paidOn: '2020-06-01' }),
  v1('ExpenseCommitted', { expenseId: 'e1', category: 'devops', description: 'devops', amount: '900000.00', committedOn: '2020-06-01' }),
  v1('ExpenseServiceDone', { expenseId: 'e1', on: '2020-09-30' }),
  v1('ExpensePaid', { expenseId: 'e1', paidOn: '2020-10-15' }),
  v1('ExpenseAccepted', { expenseId: 'e1', on: '2020-11-15' }),
  v1('ConventionTerminated', {
    on: '2020-12-15', reason: 'r', atFault: 'beneficiary',
    dueParticipation: '900000.00', received: '800000.00', restitutionDue: '0.00', owedToBeneficiary: '100000.00',
  }),
  // v1 X1: the funder paid what it owed on the tranche that never fell due, then the convention was settled.
  v1('TranchePaid', { paymentId: 'p2', tranche: 2, amount: '100000.00', paidOn: '2021-01-15' }),
  v1('ConventionSettled', { on: '2021-01-15' }),
];

describe('X1: a v1 termination, settled under v1, read by v2', () => {
  const state = fold(V1_TERMINATED_AND_SETTLED.map(upcast)) as RegisteredConvention;

  it('X1: the state follows the events: settled', () => {
    expect(state.status).toBe('settled');
  });

  it('X1: its figures agree with the state: settled, not provisional', () => {
    const figures = figuresOf(state);
    expect({ status: figures.status, provisional: figures.provisional }).toEqual({ status: 'settled', provisional: false });
  });
});
