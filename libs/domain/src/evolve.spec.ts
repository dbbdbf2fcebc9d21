import { event } from './events';
import { evolve, fold } from './evolve';
import { committed, consumed, due, restitutionOutstanding, type RegisteredConvention } from './state';
import { activeSeed, expense, payment } from '../testing/builders';
import { paidExpenses, rejected, serviceDone } from '../testing/figures';
import { historyOf } from '../testing/specification';

describe('evolve and fold', () => {
  it('the state before registration is null, and facts without a convention are ignored', () => {
    expect(fold([])).toBeNull();
    expect(evolve(null, event('ConventionSettled', { on: '2021-01-01' }))).toBeNull();
  });

  it('evolve is pure: the previous state is left untouched', () => {
    const before = fold(activeSeed()) as RegisteredConvention;
    const snapshot = { expenses: before.expenses.size, tranches: before.tranches.map((t) => t.paid.toFixed(2)) };
    const after = fold(historyOf([...expense('e1', '10.00', { committedOn: '2020-06-01' }), payment('p1', 1, '5.00', '2020-06-01')], activeSeed()).slice(-2), before);
    expect(after).not.toBe(before);
    expect({ expenses: before.expenses.size, tranches: before.tranches.map((t) => t.paid.toFixed(2)) }).toEqual(snapshot);
  });

  it('E3/derived figures: rejected expenses count only as rejected', () => {
    const state = fold(historyOf([
      ...expense('a', '100.00', { committedOn: '2020-06-01', serviceDoneOn: '2020-06-02', paidOn: '2020-06-03', acceptedOn: '2020-06-04' }),
      ...expense('b', '20.00', { committedOn: '2020-06-01', serviceDoneOn: '2020-06-02', paidOn: '2020-06-03' }),
      ...expense('c', '3.00', { committedOn: '2020-06-01', serviceDoneOn: '2020-06-02' }),
      ...expense('d', '0.40', { committedOn: '2020-06-01', serviceDoneOn: '2020-06-02', paidOn: '2020-06-03', acceptedOn: '2020-06-04' }),
      { type: 'RejectExpense', expenseId: 'd', on: '2020-06-05', reason: 'r' },
      payment('p1', 1, '50.00', '2020-06-01'),
    ], activeSeed())) as RegisteredConvention;
    expect({
      committed: committed(state).toFixed(2), serviceDone: serviceDone(state).toFixed(2), paid: paidExpenses(state).toFixed(2),
      consumed: consumed(state).toFixed(2), rejected: rejected(state).toFixed(2), received: state.received.toFixed(2),
      due: due(state).toFixed(2), restitution: restitutionOutstanding(state).toFixed(2),
    }).toEqual({
      committed: '123.00', serviceDone: '123.00', paid: '120.00', consumed: '100.00', rejected: '0.40', received: '50.00',
      due: '800000.00', restitution: '0.00',
    });
    expect(state.expenses.get('d')!.rejection).toEqual({ on: '2020-06-05', reason: 'r', atStep: 'accepted' });
  });
});
