import { event, type StatementDrawnUp, type StatementSigned } from '../events';
import { ACCOUNTANT, OFFICER, acceptedExpense, activeSeed, expense, signedStatement } from '../../testing/builders';
import { fold } from '../evolve';
import { isStatementValid } from '../state';
import { given, historyOf } from '../../testing/specification';

/** Three accepted expenses paid on different dates, and one only paid (not accepted). */
const withExpenses = () => historyOf([
  ...acceptedExpense('b', '200.00', '2020-06-10'),
  ...acceptedExpense('a', '100.50', '2020-06-10'),
  ...acceptedExpense('c', '300.00', '2020-07-10'),
  ...expense('d', '999.00', { committedOn: '2020-06-01', serviceDoneOn: '2020-06-02', paidOn: '2020-06-03' }),
], activeSeed());

const line = (expenseId: string, amount: string, on: string) => ({
  expenseId, category: 'devops', description: `devops work ${expenseId}`, amount, committedOn: on, serviceDoneOn: on, paidOn: on,
});

describe('D1: drawing up statements', () => {
  it('D1: lists accepted expenses paid by the cutoff, by payment date then id, with totals', () => {
    given(withExpenses()).when({ type: 'DrawUpStatement', cutoff: '2020-06-30', final: false }).then([
      event<StatementDrawnUp>('StatementDrawnUp', {
        number: 1, cutoff: '2020-06-30', final: false,
        lines: [line('a', '100.50', '2020-06-10'), line('b', '200.00', '2020-06-10')],
        total: '300.50', cumulativeTotal: '300.50',
      }),
    ]);
  });

  it('D1: the next statement lists only new expenses, numbered 2, with the cumulative total', () => {
    const history = historyOf([{ type: 'DrawUpStatement', cutoff: '2020-06-30', final: false }], withExpenses());
    given(history).when({ type: 'DrawUpStatement', cutoff: '2020-07-31', final: false }).then([
      event<StatementDrawnUp>('StatementDrawnUp', {
        number: 2, cutoff: '2020-07-31', final: false, lines: [line('c', '300.00', '2020-07-10')], total: '300.00', cumulativeTotal: '600.50',
      }),
    ]);
  });

  it('D1: an expense paid before the cutoff but accepted after an earlier statement is listed on the next one', () => {
    const history = historyOf([
      { type: 'DrawUpStatement', cutoff: '2020-06-30', final: false },
      { type: 'AcceptExpense', expenseId: 'd', on: '2020-07-05' },
    ], withExpenses());
    const { events } = given(history).when({ type: 'DrawUpStatement', cutoff: '2020-07-31', final: false }).thenOutcome();
    expect((events[0] as StatementDrawnUp).data.lines.map((l) => l.expenseId)).toEqual(['d', 'c']);
    expect((events[0] as StatementDrawnUp).data).toMatchObject({ total: '1299.00', cumulativeTotal: '1599.50' });
  });

  it('D1: an expense rejected after it was listed leaves later cumulative totals', () => {
    const history = historyOf([
      { type: 'DrawUpStatement', cutoff: '2020-06-30', final: false },
      { type: 'RejectExpense', expenseId: 'a', on: '2020-07-20', reason: 'hors convention' },
    ], withExpenses());
    const { events } = given(history).when({ type: 'DrawUpStatement', cutoff: '2020-07-31', final: false }).thenOutcome();
    expect((events[0] as StatementDrawnUp).data).toMatchObject({ total: '300.00', cumulativeTotal: '500.00' });
  });

  it('D1: refuses a cutoff not after the previous one (CUTOFF_NOT_AFTER_PREVIOUS)', () => {
    const history = historyOf([{ type: 'DrawUpStatement', cutoff: '2020-06-30', final: false }], withExpenses());
    given(history).when({ type: 'DrawUpStatement', cutoff: '2020-06-30', final: false }).thenThrows('CUTOFF_NOT_AFTER_PREVIOUS', 'rule');
  });

  it('D3: a final statement may have no new lines and carries the whole cumulative', () => {
    const history = historyOf([{ type: 'DrawUpStatement', cutoff: '2020-07-31', final: false }], withExpenses());
    const { events } = given(history).when({ type: 'DrawUpStatement', cutoff: '2020-08-31', final: true }).thenOutcome();
    expect((events[0] as StatementDrawnUp).data).toMatchObject({ number: 2, final: true, lines: [], total: '0.00', cumulativeTotal: '600.50' });
  });

  it('D3: no statement after the final one (FINAL_STATEMENT_ALREADY_DRAWN)', () => {
    const history = historyOf([{ type: 'DrawUpStatement', cutoff: '2020-07-31', final: true }], withExpenses());
    given(history).when({ type: 'DrawUpStatement', cutoff: '2020-08-31', final: false }).thenThrows('FINAL_STATEMENT_ALREADY_DRAWN');
  });

  it('D1 (decision): an expense paid by the cutoff but accepted after it, before the statement is drawn up, is listed', () => {
    // The accountant accepts after the fact (E2); D1 selects on the payment date.
    const history = historyOf([{ type: 'AcceptExpense', expenseId: 'd', on: '2020-07-05' }], withExpenses());
    const { events } = given(history).when({ type: 'DrawUpStatement', cutoff: '2020-06-30', final: false }).thenOutcome();
    expect((events[0] as StatementDrawnUp).data.lines.map((l) => l.expenseId)).toEqual(['d', 'a', 'b']);
    expect((events[0] as StatementDrawnUp).data).toMatchObject({ total: '1299.50', cumulativeTotal: '1299.50' });
  });

  it('D3/C1: a final statement that no longer matches consumption is followed by a corrective final statement', () => {
    // Final statement 1 shows 600.50; expense d (999.00, paid 2020-06-03) is accepted afterwards.
    const history = historyOf([
      { type: 'DrawUpStatement', cutoff: '2020-07-31', final: true },
      { type: 'AcceptExpense', expenseId: 'd', on: '2020-08-05' },
    ], withExpenses());
    given(history).when({ type: 'DrawUpStatement', cutoff: '2020-08-31', final: true }).then([
      event<StatementDrawnUp>('StatementDrawnUp', {
        number: 2, cutoff: '2020-08-31', final: true,
        lines: [{ ...line('d', '999.00', '2020-06-01'), serviceDoneOn: '2020-06-02', paidOn: '2020-06-03' }],
        total: '999.00', cumulativeTotal: '1599.50',
      }),
    ]);
  });

  it('D3: the statement correcting a final one must itself be final (FINAL_STATEMENT_ALREADY_DRAWN)', () => {
    const history = historyOf([
      { type: 'DrawUpStatement', cutoff: '2020-07-31', final: true },
      { type: 'RejectExpense', expenseId: 'c', on: '2020-08-05', reason: 'hors annexe 2' },
    ], withExpenses());
    given(history).when({ type: 'DrawUpStatement', cutoff: '2020-08-31', final: false }).thenThrows('FINAL_STATEMENT_ALREADY_DRAWN', 'rule');
  });

  it('D1: refuses a cutoff before the convention took effect (DATE_TOO_EARLY)', () => {
    given(activeSeed()).when({ type: 'DrawUpStatement', cutoff: '2020-05-10', final: false }).thenThrows('DATE_TOO_EARLY');
    expect(given(activeSeed()).when({ type: 'DrawUpStatement', cutoff: '2020-05-11', final: false }).thenOutcome().events).toHaveLength(1);
  });

  it('D1: refuses a malformed cutoff (INVALID_DATE)', () => {
    given(activeSeed()).when({ type: 'DrawUpStatement', cutoff: '2020-02-30', final: false }).thenThrows('INVALID_DATE', 'invalid');
  });
});

describe('D2: signing statements', () => {
  const drawn = () => historyOf([{ type: 'DrawUpStatement', cutoff: '2020-06-30', final: false }], withExpenses());

  it('D2: records a signature with the signing subject', () => {
    given(drawn()).when({ type: 'SignStatement', number: 1, as: 'authorizing-officer', ...OFFICER, signedOn: '2020-07-01' }).then([
      event<StatementSigned>('StatementSigned', { number: 1, as: 'authorizing-officer', ...OFFICER, signedOn: '2020-07-01' }),
    ]);
  });

  it('D2: refuses an unknown statement (STATEMENT_NOT_FOUND, not-found)', () => {
    given(drawn()).when({ type: 'SignStatement', number: 2, as: 'authorizing-officer', ...OFFICER, signedOn: '2020-07-01' })
      .thenThrows('STATEMENT_NOT_FOUND', 'not-found');
  });

  it('D2: each role signs once (STATEMENT_ALREADY_SIGNED)', () => {
    const history = historyOf([{ type: 'SignStatement', number: 1, as: 'public-accountant', ...ACCOUNTANT, signedOn: '2020-07-01' }], drawn());
    given(history).when({ type: 'SignStatement', number: 1, as: 'public-accountant', signatory: 'Other', subject: 'other', signedOn: '2020-07-02' })
      .thenThrows('STATEMENT_ALREADY_SIGNED');
  });

  it('D2: one person may not sign in both roles (SEPARATION_OF_DUTIES)', () => {
    const history = historyOf([{ type: 'SignStatement', number: 1, as: 'authorizing-officer', ...OFFICER, signedOn: '2020-07-01' }], drawn());
    given(history).when({ type: 'SignStatement', number: 1, as: 'public-accountant', signatory: 'Another name', subject: OFFICER.subject, signedOn: '2020-07-01' })
      .thenThrows('SEPARATION_OF_DUTIES', 'rule');
  });

  it('D2: refuses a signature before the cutoff (DATE_TOO_EARLY)', () => {
    given(drawn()).when({ type: 'SignStatement', number: 1, as: 'authorizing-officer', ...OFFICER, signedOn: '2020-06-29' })
      .thenThrows('DATE_TOO_EARLY');
  });

  it('D2: a statement signed in both roles is valid, and not before', () => {
    const signedOnce = historyOf(signedStatement(1, '2020-06-30', false).slice(1, 2), drawn());
    expect(isStatementValid(fold(signedOnce)!.statements[0])).toBe(false);
    const { state } = given(signedOnce)
      .when({ type: 'SignStatement', number: 1, as: 'public-accountant', ...ACCOUNTANT, signedOn: '2020-07-02' }).thenOutcome();
    expect(state!.statements[0].signatures.map((s) => s.as)).toEqual(['authorizing-officer', 'public-accountant']);
    expect(isStatementValid(state!.statements[0])).toBe(true);
  });
});
