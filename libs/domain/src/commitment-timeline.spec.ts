import { commitmentTimelineOf } from './commitment-timeline';
import { commitmentDates, committedAsOf, committedAsOfByExpense } from './decide/ceiling';
import { event, type ConventionEvent, type ExpenseCommitted, type ExpenseRejected } from './events';
import { fold } from './evolve';
import type { RegisteredConvention } from './state';
import { activeSeed, expense, rejection } from '../testing/builders';
import { historyOf } from '../testing/specification';

const DATES = ['2020-05-10', '2020-05-11', '2020-05-20', '2020-06-01', '2020-06-02', '2020-06-15', '2020-07-01', '2020-07-02', '2020-09-30', '2021-12-31'];

/** committedAsOf (through the timeline) against the definition, expense by expense, on every date. */
function expectSameAsDefinition(state: RegisteredConvention): void {
  expect(DATES.map((d) => committedAsOf(state, d).toFixed(2))).toEqual(DATES.map((d) => committedAsOfByExpense(state, d).toFixed(2)));
  expect(commitmentDates(state).sort()).toEqual([...new Set([...state.expenses.values()].map((e) => e.committedOn))].sort());
}

describe('the commitment timeline (E4: committed as of a date, without summing every expense)', () => {
  const history = () => historyOf([
    ...expense('a', '100.00', { committedOn: '2020-05-20', serviceDoneOn: '2020-06-01' }),
    ...expense('b', '20.50', { committedOn: '2020-06-01' }),
    ...expense('c', '3.00', { committedOn: '2020-06-01' }),
    rejection('b', '2020-06-15'),
    rejection('a', '2020-07-01'),
    ...expense('d', '0.01', { committedOn: '2020-07-01' }),
  ], activeSeed());

  it('built from the expenses, or kept by the fold event after event, it answers as the definition does', () => {
    const events = history();
    expectSameAsDefinition(fold(events) as RegisteredConvention);
    // Kept by the fold: the timeline of a state is read once, then every later state derives its own.
    let state = fold(events.slice(0, 4)) as RegisteredConvention;
    commitmentTimelineOf(state.expenses);
    for (const e of events.slice(4)) {
      state = fold([e], state) as RegisteredConvention;
      expectSameAsDefinition(state);
    }
    expect(committedAsOf(state, '2020-06-15').toFixed(2)).toBe('103.00');
  });

  it('a state folded from keeps its own answers', () => {
    const events = history();
    const before = fold(events.slice(0, -1)) as RegisteredConvention;
    const answer = committedAsOf(before, '2021-12-31').toFixed(2);
    fold(events.slice(-1), before);
    expect(committedAsOf(before, '2021-12-31').toFixed(2)).toBe(answer);
  });

  it('declines where its sums could be inexact (amounts ever committed from 10^17 on): the definition answers', () => {
    const committed = (i: number) => event<ExpenseCommitted>('ExpenseCommitted', {
      expenseId: `big-${i}`, category: 'devops', description: 'big', amount: '999999999999999.99', committedOn: '2020-06-01',
    });
    const rejected = (i: number) => event<ExpenseRejected>('ExpenseRejected', { expenseId: `big-${i}`, on: '2020-06-02', reason: 'r', atStep: 'committed' });
    const events: ConventionEvent[] = [...activeSeed()];
    for (let i = 0; i < 60; i++) events.push(committed(i), rejected(i));
    events.push(committed(60));
    const state = fold(events) as RegisteredConvention;
    expect(commitmentTimelineOf(state.expenses).committedAsOf('2021-12-31')).toBeUndefined();
    expect(committedAsOf(state, '2021-12-31').toFixed(2)).toBe('999999999999999.99');
    expectSameAsDefinition(state);
  });
});
