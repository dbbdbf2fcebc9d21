import { event, type ConventionEvent, type StatementDrawnUp, type StatementSigned } from '../events';
import { ACCOUNTANT, OFFICER, acceptedExpense, activeSeed, eur, expense, rejection, signedStatement } from '../../testing/builders';
import { fold } from '../evolve';
import { sum } from '../money';
import { isStatementValid, type RegisteredConvention } from '../state';
import { personName } from './statements';
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
type Drawn = StatementDrawnUp['data'];
const drawnUp = (data: Omit<Drawn, 'drawnUpOn' | 'corrections' | 'previousCumulativeTotal'> & Partial<Drawn>) =>
  event<StatementDrawnUp>('StatementDrawnUp', { drawnUpOn: data.cutoff, corrections: [], previousCumulativeTotal: '0.00', ...data });

describe('D1: drawing up statements', () => {
  it('D1: lists accepted expenses paid by the cutoff, by payment date then id, with totals', () => {
    given(withExpenses()).when({ type: 'DrawUpStatement', cutoff: '2020-06-30', final: false }).then([
      drawnUp({
        number: 1, cutoff: '2020-06-30', final: false,
        lines: [line('a', '100.50', '2020-06-10'), line('b', '200.00', '2020-06-10')],
        total: '300.50', cumulativeTotal: '300.50',
      }),
    ]);
  });

  it('D1: the next statement lists only new expenses, numbered 2, with the cumulative total', () => {
    const history = historyOf([{ type: 'DrawUpStatement', cutoff: '2020-06-30', final: false }], withExpenses());
    given(history).when({ type: 'DrawUpStatement', cutoff: '2020-07-31', final: false }).then([
      drawnUp({
        number: 2, cutoff: '2020-07-31', final: false, lines: [line('c', '300.00', '2020-07-10')],
        total: '300.00', previousCumulativeTotal: '300.50', cumulativeTotal: '600.50',
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

  it('D1 (v2): an expense rejected after it was listed comes back on the next statement as a negative correction line', () => {
    const history = historyOf([
      { type: 'DrawUpStatement', cutoff: '2020-06-30', final: false },
      { type: 'RejectExpense', expenseId: 'a', on: '2020-07-20', reason: 'hors convention' },
    ], withExpenses());
    given(history).when({ type: 'DrawUpStatement', cutoff: '2020-07-31', final: false }).then([drawnUp({
      number: 2, cutoff: '2020-07-31', final: false, lines: [line('c', '300.00', '2020-07-10')],
      corrections: [{ expenseId: 'a', amount: '-100.50', listedOn: 1, rejectedOn: '2020-07-20', reason: 'hors convention' }],
      total: '300.00', previousCumulativeTotal: '300.50', cumulativeTotal: '500.00',
    })]);
    // Corrected once: the statement after shows it no more.
    const next = historyOf([{ type: 'DrawUpStatement', cutoff: '2020-07-31', final: false }], history);
    const { events } = given(next).when({ type: 'DrawUpStatement', cutoff: '2020-08-31', final: false }).thenOutcome();
    expect((events[0] as StatementDrawnUp).data).toMatchObject({ corrections: [], lines: [], previousCumulativeTotal: '500.00', cumulativeTotal: '500.00' });
  });

  it('D1 (v2): an expense rejected before it was ever listed is simply not listed, with no correction', () => {
    const history = historyOf([rejection('a', '2020-06-20')], withExpenses());
    const { events } = given(history).when({ type: 'DrawUpStatement', cutoff: '2020-06-30', final: false }).thenOutcome();
    expect((events[0] as StatementDrawnUp).data).toMatchObject({ lines: [line('b', '200.00', '2020-06-10')], corrections: [], cumulativeTotal: '200.00' });
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

  it('D1 (decision, v2): an expense paid by the cutoff but accepted after it is listed when the statement is drawn up on or after its acceptance', () => {
    // The accountant accepts after the fact (E2); D1 selects on the payment date, as known the day the statement is drawn up.
    const history = historyOf([{ type: 'AcceptExpense', expenseId: 'd', on: '2020-07-05' }], withExpenses());
    const { events } = given(history).when({ type: 'DrawUpStatement', cutoff: '2020-06-30', drawnUpOn: '2020-07-05', final: false }).thenOutcome();
    expect((events[0] as StatementDrawnUp).data.lines.map((l) => l.expenseId)).toEqual(['d', 'a', 'b']);
    expect((events[0] as StatementDrawnUp).data).toMatchObject({ drawnUpOn: '2020-07-05', total: '1299.50', cumulativeTotal: '1299.50' });
    const onCutoff = given(history).when({ type: 'DrawUpStatement', cutoff: '2020-06-30', final: false }).thenOutcome();
    expect((onCutoff.events[0] as StatementDrawnUp).data.lines.map((l) => l.expenseId)).toEqual(['a', 'b']);
  });

  it('D3/C1: a final statement that no longer matches consumption is followed by a corrective final statement', () => {
    // Final statement 1 shows 600.50; expense d (999.00, paid 2020-06-03) is accepted afterwards.
    const history = historyOf([
      { type: 'DrawUpStatement', cutoff: '2020-07-31', final: true },
      { type: 'AcceptExpense', expenseId: 'd', on: '2020-08-05' },
    ], withExpenses());
    given(history).when({ type: 'DrawUpStatement', cutoff: '2020-08-31', final: true }).then([
      drawnUp({
        number: 2, cutoff: '2020-08-31', final: true,
        lines: [{ ...line('d', '999.00', '2020-06-01'), serviceDoneOn: '2020-06-02', paidOn: '2020-06-03' }],
        total: '999.00', previousCumulativeTotal: '600.50', cumulativeTotal: '1599.50',
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

  it('D1 (v2): a statement carries the day it was drawn up, by default its cutoff, and lists what was known that day', () => {
    // d (paid 06-03) is accepted on 07-05; a is rejected on 07-08: drawn up on 07-10 the statement lists d and b.
    const history = historyOf([{ type: 'AcceptExpense', expenseId: 'd', on: '2020-07-05' }, rejection('a', '2020-07-08')], withExpenses());
    given(history).when({ type: 'DrawUpStatement', cutoff: '2020-06-30', drawnUpOn: '2020-07-10', final: false }).then([drawnUp({
      number: 1, cutoff: '2020-06-30', drawnUpOn: '2020-07-10', final: false,
      lines: [{ ...line('d', '999.00', '2020-06-01'), serviceDoneOn: '2020-06-02', paidOn: '2020-06-03' }, line('b', '200.00', '2020-06-10')],
      total: '1199.00', cumulativeTotal: '1199.00',
    })]);
    // Drawn up on 07-06, before the rejection took place: a is listed, and corrected on the next statement.
    const early = given(history).when({ type: 'DrawUpStatement', cutoff: '2020-06-30', drawnUpOn: '2020-07-06', final: false }).thenOutcome();
    expect((early.events[0] as StatementDrawnUp).data.lines.map((l) => l.expenseId)).toEqual(['d', 'a', 'b']);
    const next = given(historyOf([{ type: 'DrawUpStatement', cutoff: '2020-06-30', drawnUpOn: '2020-07-06', final: false }], history))
      .when({ type: 'DrawUpStatement', cutoff: '2020-07-31', final: false }).thenOutcome();
    expect((next.events[0] as StatementDrawnUp).data).toMatchObject({
      corrections: [{ expenseId: 'a', amount: '-100.50', listedOn: 1, rejectedOn: '2020-07-08' }], previousCumulativeTotal: '1299.50', cumulativeTotal: '1499.00',
    });
  });

  it('D1 (v2): refuses a statement drawn up before its cutoff or before the previous statement was (DATE_TOO_EARLY)', () => {
    const error = given(withExpenses()).when({ type: 'DrawUpStatement', cutoff: '2020-06-30', drawnUpOn: '2020-06-29', final: false }).thenThrows('DATE_TOO_EARLY');
    expect(error.details).toMatchObject({ field: 'drawnUpOn', notBefore: '2020-06-30' });
    const history = historyOf([{ type: 'DrawUpStatement', cutoff: '2020-06-30', drawnUpOn: '2020-08-15', final: false }], withExpenses());
    const second = given(history).when({ type: 'DrawUpStatement', cutoff: '2020-07-31', final: false }).thenThrows('DATE_TOO_EARLY');
    expect(second.details).toMatchObject({ field: 'drawnUpOn', notBefore: '2020-08-15' });
    expect(given(history).when({ type: 'DrawUpStatement', cutoff: '2020-07-31', drawnUpOn: '2020-08-15', final: false }).thenOutcome().events).toHaveLength(1);
  });

  it('D1 (v2): the cutoff falls within the period of effect (DATE_OUTSIDE_PERIOD)', () => {
    const error = given(withExpenses()).when({ type: 'DrawUpStatement', cutoff: '2021-05-12', final: true }).thenThrows('DATE_OUTSIDE_PERIOD', 'rule');
    expect(error.rule).toBe('D1');
    expect(given(withExpenses()).when({ type: 'DrawUpStatement', cutoff: '2021-05-11', final: true }).thenOutcome().events).toHaveLength(1);
  });

  it('D1 (v2): each line carries the expense\'s details: contract, payee, commitment number, invoice, payment order', () => {
    const history = historyOf([
      {
        type: 'CommitExpense', expenseId: 'x', category: 'design', description: 'Maquettes', amount: eur('5000.00'), committedOn: '2020-06-01',
        contract: 'UGAP 2020-12', payee: { name: 'Atelier', siret: '13002603200016' }, commitmentNumber: 'EJ-1',
      },
      { type: 'RecordServiceDone', expenseId: 'x', on: '2020-06-10', invoice: { number: 'F-9', issuedOn: '2020-06-11' } },
      { type: 'RecordExpensePayment', expenseId: 'x', paidOn: '2020-06-20', paymentOrder: 'MDT-4' },
      { type: 'AcceptExpense', expenseId: 'x', on: '2020-06-21' },
    ], activeSeed());
    const { events } = given(history).when({ type: 'DrawUpStatement', cutoff: '2020-06-30', final: false }).thenOutcome();
    expect((events[0] as StatementDrawnUp).data.lines).toEqual([{
      expenseId: 'x', category: 'design', description: 'Maquettes', amount: '5000.00', committedOn: '2020-06-01', serviceDoneOn: '2020-06-10',
      paidOn: '2020-06-20', contract: 'UGAP 2020-12', payee: { name: 'Atelier', siret: '13002603200016' }, commitmentNumber: 'EJ-1',
      invoice: { number: 'F-9', issuedOn: '2020-06-11' }, paymentOrder: 'MDT-4',
    }]);
  });

  it('D1 (v2): the sum of all lines and corrections up to statement N is its cumulative total, and its previous total is statement N-1\'s', () => {
    const history: ConventionEvent[] = historyOf([
      { type: 'DrawUpStatement', cutoff: '2020-06-30', final: false },
      rejection('b', '2020-07-01'),
      { type: 'AcceptExpense', expenseId: 'd', on: '2020-07-02' },
      { type: 'DrawUpStatement', cutoff: '2020-07-31', final: false },
      rejection('c', '2020-08-05'),
      rejection('d', '2020-08-06'),
      ...acceptedExpense('e', '0.01', '2020-08-10'),
      { type: 'DrawUpStatement', cutoff: '2020-08-31', final: true },
    ], withExpenses());
    const statements = (fold(history) as RegisteredConvention).statements;
    expect(statements.map((st) => st.cumulativeTotal.toFixed(2))).toEqual(['300.50', '1399.50', '100.51']);
    let running = sum([]);
    statements.forEach((st, i) => {
      running = running.plus(sum(st.lines.map((l) => eur(l.amount)))).plus(sum(st.corrections.map((c) => eur(c.amount))));
      expect(running.toFixed(2)).toBe(st.cumulativeTotal.toFixed(2));
      expect(st.previousCumulativeTotal.toFixed(2)).toBe(i === 0 ? '0.00' : statements[i - 1].cumulativeTotal.toFixed(2));
    });
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

  it('D2 (v2): one person\'s name cannot sign in both capacities through two subjects, whatever the case, accents or punctuation (SEPARATION_OF_DUTIES)', () => {
    const history = historyOf([{ type: 'SignStatement', number: 1, as: 'authorizing-officer', ...OFFICER, signedOn: '2020-07-01' }], drawn());
    for (const signatory of ['Agnès Ordonnatrice', 'AGNES ORDONNATRICE', 'agnes  ordonnatrice.', 'Agnès-Ordonnatrice', 'Agnes Ordonnatrice ']) {
      const error = given(history).when({ type: 'SignStatement', number: 1, as: 'public-accountant', signatory, subject: 'someone-else@cbcm', signedOn: '2020-07-01' })
        .thenThrows('SEPARATION_OF_DUTIES', 'rule');
      expect(error.details).toEqual({ number: 1, subject: 'someone-else@cbcm', signatory });
    }
    expect(given(history).when({ type: 'SignStatement', number: 1, as: 'public-accountant', ...ACCOUNTANT, signedOn: '2020-07-01' }).thenOutcome().events).toHaveLength(1);
  });

  it('D2: names compare on letters and digits only', () => {
    expect(personName('Œdipe Lætitia')).toBe(personName('OEDIPE LAETITIA'));
    expect(personName('Jean-Pierre  d\'Arc')).toBe(personName('jean pierre darc'));
    expect(personName('Jean Martin')).not.toBe(personName('Jeanne Martin'));
  });

  it('D2 (v2): refuses a signature before the statement was drawn up (DATE_TOO_EARLY)', () => {
    const history = historyOf([{ type: 'DrawUpStatement', cutoff: '2020-06-30', drawnUpOn: '2020-07-10', final: false }], withExpenses());
    const error = given(history).when({ type: 'SignStatement', number: 1, as: 'authorizing-officer', ...OFFICER, signedOn: '2020-07-09' }).thenThrows('DATE_TOO_EARLY');
    expect(error.details).toMatchObject({ field: 'signedOn', notBefore: '2020-07-10' });
  });

  it('D2: refuses a signature before the cutoff (DATE_TOO_EARLY)', () => {
    given(drawn()).when({ type: 'SignStatement', number: 1, as: 'authorizing-officer', ...OFFICER, signedOn: '2020-06-29' })
      .thenThrows('DATE_TOO_EARLY');
  });

  it('D2: signs as one of the two roles only (MALFORMED_COMMAND) and needs a signatory (TEXT_REQUIRED)', () => {
    given(drawn()).when({ type: 'SignStatement', number: 1, as: 'auditor' as 'public-accountant', ...OFFICER, signedOn: '2020-07-01' }).thenThrows('MALFORMED_COMMAND', 'invalid');
    given(drawn()).when({ type: 'SignStatement', number: 1, as: 'public-accountant', signatory: ' ', subject: 's', signedOn: '2020-07-01' }).thenThrows('TEXT_REQUIRED', 'invalid');
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
