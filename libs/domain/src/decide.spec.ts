import Decimal from 'decimal.js';
import type { ConventionCommand } from './commands';
import { decide } from './decide';
import { DomainError } from './errors';
import { fold } from './evolve';
import {
  acceptedExpense, activeSeed, closure, eur, expense, payment, restitution, settlementPayment, signedStatement, termination,
} from '../testing/builders';
import { seedRegistration } from '../testing/seed-convention';
import { SPEC_TODAY, given, historyOf } from '../testing/specification';

const TODAY = { today: SPEC_TODAY };

describe('decide refuses what a client may send with a DomainError (HTTP 4xx)', () => {
  const state = fold(activeSeed());
  const garbage: unknown[] = [
    null, undefined, {}, { type: 'Nope' },
    { type: 'CommitExpense' },
    { type: 'CommitExpense', expenseId: 'x', category: 'devops', description: 'd', amount: 12, committedOn: '2020-06-01' },
    { type: 'CommitExpense', expenseId: 'x', category: 'devops', description: 'd', amount: new Decimal(NaN), committedOn: '2020-06-01' },
    { type: 'CommitExpense', expenseId: 'x', category: 'devops', description: 'd', amount: new Decimal('1'), committedOn: '2020-13-45' },
    { type: 'CommitExpense', expenseId: 'x', category: 'devops', description: 'd', amount: new Decimal('1'), committedOn: '2020-06-01', payee: 'ACME' },
    { type: 'CommitExpense', expenseId: 'x', category: 'devops', description: 'd', amount: new Decimal('1'), committedOn: '2020-06-01', payee: { siret: 5 } },
    { type: 'SignStatement', number: 'one' },
    { type: 'IssueFundCall', tranche: null, statement: {}, issuedOn: 5 },
    { type: 'PayTranche', paymentId: 'p', tranche: 1, amount: new Decimal(Infinity), paidOn: '2020-06-01' },
    { type: 'PaySettlement', paymentId: 'p', amount: 12, paidOn: '2020-06-01' },
    { type: 'AmendConvention', signedOn: '2020-06-01', signatories: null, changes: 'everything' },
    { type: 'AmendConvention', signedOn: '2020-06-01', signatories: { funder: 'a', beneficiary: 'b' }, changes: { tranches: 'x' } },
    { type: 'AmendConvention', signedOn: '2020-06-01', signatories: { funder: 'a', beneficiary: 'b' }, changes: { tranches: [null] } },
    { type: 'AmendConvention', signedOn: '2020-06-01', signatories: { funder: 'a', beneficiary: 'b' }, changes: { funder: 'x' } },
    { type: 'AmendConvention', signedOn: '2020-06-01', signatories: { funder: 'a', beneficiary: 'b' }, changes: { expenseCategories: 'devops' } },
    { type: 'RegisterConvention' },
    { type: 'RecordServiceDone', expenseId: 'x', on: '2020-06-01', invoice: 'F-1' },
    { type: 'DrawUpStatement', cutoff: '2020-06-30', final: false, drawnUpOn: null },
    { type: 'TerminateConvention', decidedOn: '2020-06-01', effectiveOn: '2020-06-01', decidedBy: 'funder', reason: 'r', atFault: 'nobody' },
    { type: 'TerminateConvention', decidedOn: '2020-06-01', effectiveOn: '2020-06-01', decidedBy: 'auditor', reason: 'r', atFault: 'funder' },
  ];

  it.each(garbage.map((command) => [JSON.stringify(command) ?? String(command), command]))('refuses %s with a DomainError', (_, command) => {
    for (const s of [state, null]) {
      let thrown: unknown;
      try {
        decide(command as ConventionCommand, s, TODAY);
      } catch (error) {
        thrown = error;
      }
      expect(thrown).toBeInstanceOf(DomainError);
    }
  });

  it('refuses an unknown command type (MALFORMED_COMMAND, invalid)', () => {
    given(activeSeed()).when({ type: 'Nope' } as unknown as ConventionCommand).thenThrows('MALFORMED_COMMAND', 'invalid');
    given([]).when(null as unknown as ConventionCommand).thenThrows('MALFORMED_COMMAND', 'invalid');
  });
});

describe('decide: a bug surfaces as a crash (HTTP 500), never as a refusal', () => {
  it('an exception that is not a refusal is not turned into a DomainError (no catch-all MALFORMED_COMMAND)', () => {
    // The edge never lets such an id through; if one reached decide, printing it fails, and that
    // failure must stay a crash rather than pass for a client error.
    const unprintable = { type: 'RecordServiceDone', expenseId: { toString: null }, on: '2020-06-01' } as unknown as ConventionCommand;
    let thrown: unknown;
    try {
      decide(unprintable, fold(activeSeed()), TODAY);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(TypeError);
    expect(thrown).not.toBeInstanceOf(DomainError);
  });

  it('deciding without the decision context is a programming error, not a refusal', () => {
    expect(() => decide(payment('p1', 1, '1.00', '2020-06-01'), fold(activeSeed()), undefined as never)).toThrow(TypeError);
  });
});

describe('M4: no business date after the day it is recorded', () => {
  it('M4: refuses a payment dated 2030, signatures dated 2031 and a cutoff of 2099-12-31 (DATE_IN_FUTURE)', () => {
    const error = given(activeSeed()).when(payment('p1', 1, '800000.00', '2030-01-15')).thenThrows('DATE_IN_FUTURE', 'rule');
    expect(error.rule).toBe('M4');
    expect(error.details).toEqual({ field: 'paidOn', date: '2030-01-15', today: SPEC_TODAY });
    given(historyOf([seedRegistration()])).when({ type: 'SignConvention', party: 'funder', signatory: 'Yves Le Breton', signedOn: '2031-05-11' })
      .thenThrows('DATE_IN_FUTURE');
    const drawn = historyOf([{ type: 'DrawUpStatement', cutoff: '2020-06-30', final: false }], activeSeed());
    given(drawn).when({ type: 'SignStatement', number: 1, as: 'authorizing-officer', signatory: 'A', subject: 'a', signedOn: '2031-01-01' })
      .thenThrows('DATE_IN_FUTURE');
    given(activeSeed()).when({ type: 'DrawUpStatement', cutoff: '2099-12-31', final: false }).thenThrows('DATE_IN_FUTURE');
  });

  it('M4: today itself is no future date; the day after is', () => {
    const onToday = { today: '2020-06-01' };
    expect(given(activeSeed(), onToday).when(payment('p1', 1, '1.00', '2020-06-01')).thenOutcome().events).toHaveLength(1);
    given(activeSeed(), onToday).when(payment('p1', 1, '1.00', '2020-06-02')).thenThrows('DATE_IN_FUTURE');
  });

  const readyToClose = () => historyOf([
    ...acceptedExpense('e1', '500000.00', '2021-03-01'),
    payment('p1', 1, '800000.00', '2020-05-20'),
    ...signedStatement(1, '2021-05-11', true, '2021-05-20'),
  ], activeSeed());
  const FUTURE = '2027-01-01';
  const cases: [string, () => ReturnType<typeof activeSeed>, ConventionCommand, string][] = [
    ['SignConvention.signedOn', () => historyOf([seedRegistration()]), { type: 'SignConvention', party: 'funder', signatory: 'Y', signedOn: FUTURE }, 'signedOn'],
    ['CommitExpense.committedOn', activeSeed, expense('e1', '1.00', { committedOn: FUTURE })[0], 'committedOn'],
    ['RecordServiceDone.on', () => historyOf(expense('e1', '1.00', { committedOn: '2020-06-01' }), activeSeed()),
      { type: 'RecordServiceDone', expenseId: 'e1', on: FUTURE }, 'on'],
    ['RecordServiceDone.invoice.issuedOn', () => historyOf(expense('e1', '1.00', { committedOn: '2020-06-01' }), activeSeed()),
      { type: 'RecordServiceDone', expenseId: 'e1', on: '2020-06-02', invoice: { number: 'F-1', issuedOn: FUTURE } }, 'invoice.issuedOn'],
    ['RecordExpensePayment.paidOn', () => historyOf(expense('e1', '1.00', { committedOn: '2020-06-01', serviceDoneOn: '2020-06-02' }), activeSeed()),
      { type: 'RecordExpensePayment', expenseId: 'e1', paidOn: FUTURE }, 'paidOn'],
    ['AcceptExpense.on', () => historyOf(expense('e1', '1.00', { committedOn: '2020-06-01', serviceDoneOn: '2020-06-02', paidOn: '2020-06-03' }), activeSeed()),
      { type: 'AcceptExpense', expenseId: 'e1', on: FUTURE }, 'on'],
    ['RejectExpense.on', () => historyOf(expense('e1', '1.00', { committedOn: '2020-06-01' }), activeSeed()),
      { type: 'RejectExpense', expenseId: 'e1', on: FUTURE, reason: 'r' }, 'on'],
    ['DrawUpStatement.drawnUpOn', activeSeed, { type: 'DrawUpStatement', cutoff: '2020-06-30', final: false, drawnUpOn: FUTURE }, 'drawnUpOn'],
    ['IssueFundCall.issuedOn', activeSeed, { type: 'IssueFundCall', tranche: 2, statement: 1, issuedOn: FUTURE }, 'issuedOn'],
    ['AmendConvention.signedOn', activeSeed,
      { type: 'AmendConvention', signedOn: FUTURE, signatories: { funder: 'Y', beneficiary: 'N' }, changes: { durationMonths: 18 } }, 'signedOn'],
    ['CloseConvention.on', readyToClose, closure(FUTURE), 'on'],
    ['TerminateConvention.decidedOn', activeSeed, termination(FUTURE), 'decidedOn'],
    ['TerminateConvention.effectiveOn', activeSeed, termination(FUTURE, { decidedOn: '2020-06-01' }), 'effectiveOn'],
    ['PayRestitution.paidOn', () => historyOf([closure('2021-06-01')], readyToClose()), restitution('r1', '1.00', FUTURE), 'paidOn'],
    ['PaySettlement.paidOn', () => historyOf([closure('2021-06-01')], readyToClose()), settlementPayment('s1', '1.00', FUTURE), 'paidOn'],
  ];

  it.each(cases)('M4: refuses %s in the future (DATE_IN_FUTURE)', (_, history, command, field) => {
    const error = given(history()).when(command).thenThrows('DATE_IN_FUTURE', 'rule');
    expect(error.details).toEqual({ field, date: FUTURE, today: SPEC_TODAY });
  });

  it('M4: checked before anything else, a future date is refused even on an unknown convention', () => {
    given([]).when(payment('p1', 1, '1.00', '2099-12-31')).thenThrows('DATE_IN_FUTURE');
  });

  it('M4: a malformed date is left to its own rule (INVALID_DATE, invalid)', () => {
    given(activeSeed()).when({ type: 'PayTranche', paymentId: 'p1', tranche: 1, amount: eur('1'), paidOn: '2099-02-30' }).thenThrows('INVALID_DATE', 'invalid');
  });
});
