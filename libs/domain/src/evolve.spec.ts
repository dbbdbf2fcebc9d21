import { event, type ConventionAmended, type ConventionEvent, type SettlementReopened } from './events';
import type { ConventionState } from './state';
import { evolve, fold } from './evolve';
import { committed, consumed, figuresOf, termsInForceOn, type RegisteredConvention } from './state';
import {
  acceptedExpense, activeSeed, amendment, closure, eur, expense, payment, rejection, settlementPayment, signedStatement,
} from '../testing/builders';
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

  it('fold (one draft for the whole history) is evolve event by event, key order included, and leaves every state it started from untouched', () => {
    const history = historyOf([
      ...acceptedExpense('e1', '100.00', '2020-06-01'),
      ...expense('e2', '20.00', { committedOn: '2020-06-01', serviceDoneOn: '2020-06-02' }),
      payment('p1', 1, '50.00', '2020-06-01'),
      amendment({ durationMonths: 18 }, '2020-08-01'),
      ...signedStatement(1, '2020-08-31', false, '2020-09-01'),
      rejection('e1', '2020-09-10'),
      ...acceptedExpense('e3', '30.00', '2020-09-15'),
      ...signedStatement(2, '2021-05-11', true, '2021-05-20'),
      closure('2021-06-01', 2),
    ], activeSeed());
    // The state as text: Maps as entries, Decimals as their text (key order shows in it too).
    const text = (state: ConventionState) => JSON.stringify(state, (_key, value) => (value instanceof Map ? [...value.entries()] : value));
    const stepByStep: ConventionState[] = [null];
    for (const e of history) stepByStep.push(evolve(stepByStep[stepByStep.length - 1], e));
    const texts = stepByStep.map(text);
    expect(text(fold(history))).toBe(texts[texts.length - 1]);
    for (let split = 0; split < history.length; split += 5) {
      expect(text(fold(history.slice(split), stepByStep[split]))).toBe(texts[texts.length - 1]);
    }
    expect(stepByStep.map(text)).toEqual(texts);
  });

  it('E3/figures: rejected expenses count only as rejected', () => {
    const state = fold(historyOf([
      ...expense('a', '100.00', { committedOn: '2020-06-01', serviceDoneOn: '2020-06-02', paidOn: '2020-06-03', acceptedOn: '2020-06-04' }),
      ...expense('b', '20.00', { committedOn: '2020-06-01', serviceDoneOn: '2020-06-02', paidOn: '2020-06-03' }),
      ...expense('c', '3.00', { committedOn: '2020-06-01', serviceDoneOn: '2020-06-02' }),
      ...expense('d', '0.40', { committedOn: '2020-06-01', serviceDoneOn: '2020-06-02', paidOn: '2020-06-03', acceptedOn: '2020-06-04' }),
      { type: 'RejectExpense', expenseId: 'd', on: '2020-06-05', reason: 'r' },
      payment('p1', 1, '50.00', '2020-06-01'),
    ], activeSeed())) as RegisteredConvention;
    const figures = figuresOf(state);
    expect({
      committed: committed(state).toFixed(2), serviceDone: figures.serviceDone.toFixed(2), paid: figures.paid.toFixed(2),
      consumed: consumed(state).toFixed(2), rejected: figures.rejected.toFixed(2), received: state.received.toFixed(2),
      due: figures.due.toFixed(2), restitution: figures.restitution.outstanding.toFixed(2),
    }).toEqual({
      committed: '123.00', serviceDone: '123.00', paid: '120.00', consumed: '100.00', rejected: '0.40', received: '50.00',
      due: '800000.00', restitution: '0.00',
    });
    expect(figures.committed.toFixed(2)).toBe('123.00');
    expect(state.expenses.get('d')!.rejection).toEqual({ on: '2020-06-05', reason: 'r', atStep: 'accepted' });
  });

  it('E1/E2/E3 (v2): the expense keeps its payee, commitment number, invoice, payment order and recovery order', () => {
    const state = fold(historyOf([
      {
        type: 'CommitExpense', expenseId: 'e1', category: 'devops', description: 'Hébergement', amount: eur('100.00'), committedOn: '2020-06-01',
        payee: { name: 'OVH', siret: '42476141900045' }, commitmentNumber: 'EJ-2020-001',
      },
      { type: 'RecordServiceDone', expenseId: 'e1', on: '2020-06-10', invoice: { number: 'F-12', issuedOn: '2020-06-11' } },
      { type: 'RecordExpensePayment', expenseId: 'e1', paidOn: '2020-06-20', paymentOrder: 'MDT-7' },
      rejection('e1', '2020-06-25', 'doublon', 'TP-2020-3'),
    ], activeSeed())) as RegisteredConvention;
    expect(state.expenses.get('e1')).toMatchObject({
      payee: { name: 'OVH', siret: '42476141900045' }, commitmentNumber: 'EJ-2020-001', invoice: { number: 'F-12', issuedOn: '2020-06-11' },
      paymentOrder: 'MDT-7', step: 'paid', rejection: { on: '2020-06-25', reason: 'doublon', atStep: 'paid', recoveryOrder: 'TP-2020-3' },
    });
  });

  it('A3: each amendment adds a version of the terms from its date; the earlier ones stay', () => {
    const state = fold(historyOf([
      amendment({ expenseCategories: ['devops'] }, '2020-09-01'),
      amendment({ durationMonths: 18 }, '2020-12-01'),
    ], activeSeed())) as RegisteredConvention;
    expect(state.terms.map((t) => [t.amendment, t.from ?? null, t.endsOn, t.expenseCategories.join(',')])).toEqual([
      [0, null, '2021-05-11', 'devops,design,deployment,coaching'],
      [1, '2020-09-01', '2021-05-11', 'devops'],
      [2, '2020-12-01', '2021-11-11', 'devops'],
    ]);
    expect(termsInForceOn(state, '2020-08-31').amendment).toBe(0);
    expect(termsInForceOn(state, '2020-09-01').amendment).toBe(1);
    expect(termsInForceOn(state, '2021-01-01').amendment).toBe(2);
    expect(state).toMatchObject({ endsOn: '2021-11-11', durationMonths: 18, expenseCategories: ['devops'] });
  });

  it('A2: an amendment recorded before v2 (no categories nor parties) leaves them as they were', () => {
    const before = fold(activeSeed()) as RegisteredConvention;
    const v1 = event<ConventionAmended>('ConventionAmended', {
      number: 1, signedOn: '2020-12-01', signatories: { funder: 'Y', beneficiary: 'N' }, changes: { durationMonths: 18 },
      ceiling: '1600000.00', durationMonths: 18, endsOn: '2021-11-11',
      tranches: before.terms[0].tranches.map((t) => ({
        number: t.number, amount: t.amount.toFixed(2),
        release: t.release.on === 'consumption' ? { on: 'consumption' as const, threshold: t.release.threshold.toFixed(2) } : { on: 'signature' as const },
      })),
    });
    const after = evolve(before, v1) as RegisteredConvention;
    expect(after.expenseCategories).toEqual(before.expenseCategories);
    expect(after.funder).toBe(before.funder);
    expect(after.beneficiary).toBe(before.beneficiary);
  });

  it('D1 (v2): an expense listed then corrected is marked with both statements', () => {
    const state = fold(historyOf([
      ...acceptedExpense('e1', '100.00', '2020-06-01'),
      ...signedStatement(1, '2020-06-30', false, '2020-07-01'),
      rejection('e1', '2020-07-10'),
      ...signedStatement(2, '2020-07-31', false, '2020-08-01'),
    ], activeSeed())) as RegisteredConvention;
    expect(state.expenses.get('e1')).toMatchObject({ statement: 1, correctedIn: 2 });
    expect(state.statements.map((s) => [s.number, s.drawnUpOn, s.previousCumulativeTotal.toFixed(2), s.cumulativeTotal.toFixed(2)]))
      .toEqual([[1, '2020-06-30', '0.00', '100.00'], [2, '2020-07-31', '100.00', '0.00']]);
  });

  it('R2/E3 (v2): settlement payments are kept apart from tranche payments; SettlementReopened returns to the ending status', () => {
    const settled: ConventionEvent[] = historyOf([
      ...acceptedExpense('e1', '900000.00', '2021-03-01'),
      payment('p1', 1, '800000.00', '2020-05-20'),
      ...signedStatement(1, '2021-05-11', true, '2021-05-20'),
      closure('2021-06-01'),
      settlementPayment('s1', '100000.00', '2021-06-15', 'VIR-S1'),
    ], activeSeed());
    const state = fold(settled) as RegisteredConvention;
    expect(state).toMatchObject({ status: 'settled', settledOn: '2021-06-15', received: eur('800000.00') });
    expect(state.settlementPayments).toEqual([{ paymentId: 's1', amount: eur('100000.00'), paidOn: '2021-06-15', reference: 'VIR-S1' }]);
    const reopened = evolve(state, event<SettlementReopened>('SettlementReopened', { on: '2021-09-01', expenseId: 'e1', restitutionOutstanding: '900000.00' }));
    expect(reopened).toMatchObject({ status: 'closed' });
    expect(reopened).not.toHaveProperty('settledOn');
  });
});
