import { event, type ConventionEvent, type ConventionSettled, type RestitutionPaid, type TranchePaid } from '../events';
import { acceptedExpense, activeSeed, eur, expense, payment, signedStatement } from '../../testing/builders';
import { given, historyOf } from '../../testing/specification';

const restitution = (restitutionId: string, amount: string, paidOn: string) =>
  ({ type: 'PayRestitution' as const, restitutionId, amount: eur(amount), paidOn });
const terminate = (on: string) => ({ type: 'TerminateConvention' as const, on, reason: 'reporting failure', atFault: 'beneficiary' as const });

/**
 * R1: settled on the date from which nothing is owed either way. Payments are recorded out of
 * date order; the settlement is not dated before a payment it needed (found by the model-based
 * test: balances as of that date showed a settled convention with money still outstanding).
 */
describe('R1: the settlement date', () => {
  it('after closure, a last restitution dated before an earlier-recorded one settles on the later date', () => {
    // Closed on 2021-06-01 with 300,000.00 to restitute; 200,000.00 already paid back on 2021-09-01.
    const history = historyOf([
      ...acceptedExpense('e1', '500000.00', '2021-03-01'),
      payment('p1', 1, '800000.00', '2020-05-20'),
      ...signedStatement(1, '2021-05-11', true, '2021-05-20'),
      { type: 'CloseConvention', on: '2021-06-01', statement: 1 },
      restitution('r1', '200000.00', '2021-09-01'),
    ], activeSeed());
    given(history).when(restitution('r2', '100000.00', '2021-07-01')).then([
      event<RestitutionPaid>('RestitutionPaid', { restitutionId: 'r2', amount: '100000.00', paidOn: '2021-07-01' }),
      event<ConventionSettled>('ConventionSettled', { on: '2021-09-01' }),
    ]);
  });

  it('after termination, the funder\'s last payment dated before an earlier-recorded one settles on the later date (X1)', () => {
    // 900,000.00 served by the termination, 800,000.00 received: 100,000.00 owed; 60,000.00 paid on 2021-02-01.
    const history: ConventionEvent[] = historyOf([
      payment('p1', 1, '800000.00', '2020-05-20'),
      ...expense('e1', '900000.00', { committedOn: '2020-06-01', serviceDoneOn: '2020-07-01' }),
      terminate('2020-12-15'),
      payment('p2', 2, '60000.00', '2021-02-01'),
    ], activeSeed());
    given(history).when(payment('p3', 2, '40000.00', '2021-01-10')).then([
      event<TranchePaid>('TranchePaid', { paymentId: 'p3', tranche: 2, amount: '40000.00', paidOn: '2021-01-10' }),
      event<ConventionSettled>('ConventionSettled', { on: '2021-02-01' }),
    ]);
  });

  it('a rejection dated before the termination settles on the termination date, not before it (E3, X1)', () => {
    // 800,000.00 received, 900,000.00 served: 100,000.00 owed until e2 is found ineligible.
    const history = historyOf([
      payment('p1', 1, '800000.00', '2020-05-20'),
      ...expense('e1', '800000.00', { committedOn: '2020-06-01', serviceDoneOn: '2020-07-01' }),
      ...expense('e2', '100000.00', { committedOn: '2020-06-01', serviceDoneOn: '2020-07-01' }),
      terminate('2020-12-15'),
    ], activeSeed());
    const { events, state } = given(history)
      .when({ type: 'RejectExpense', expenseId: 'e2', on: '2020-11-01', reason: 'ineligible' }).thenOutcome();
    expect(events.at(-1)).toEqual(event<ConventionSettled>('ConventionSettled', { on: '2020-12-15' }));
    expect(state).toMatchObject({ status: 'settled', settledOn: '2020-12-15' });
  });
});

describe('R1: a restitution after termination is not dated before what it gives back', () => {
  it('refuses a restitution dated before a tranche payment received after the termination date (DATE_TOO_EARLY)', () => {
    // Terminated on 2020-12-15 with nothing served; the tranche was paid on 2021-01-20 (recorded before the termination).
    const history = historyOf([
      payment('p1', 1, '800000.00', '2021-01-20'),
      terminate('2020-12-15'),
    ], activeSeed());
    given(history).when(restitution('r1', '800000.00', '2021-01-05')).thenThrows('DATE_TOO_EARLY');
    given(history).when(restitution('r1', '800000.00', '2021-01-20')).then([
      event<RestitutionPaid>('RestitutionPaid', { restitutionId: 'r1', amount: '800000.00', paidOn: '2021-01-20' }),
      event<ConventionSettled>('ConventionSettled', { on: '2021-01-20' }),
    ]);
  });
});
