import Decimal from 'decimal.js';
import type { ConventionCommand } from './commands';
import { decide } from './decide';
import { DomainError } from './errors';
import { fold } from './evolve';
import { activeSeed } from '../testing/builders';

describe('decide never crashes on what a client sent (API: never a 500)', () => {
  const state = fold(activeSeed());
  const garbage: unknown[] = [
    null, undefined, {}, { type: 'Nope' },
    { type: 'CommitExpense' },
    { type: 'CommitExpense', expenseId: 'x', category: 'devops', description: 'd', amount: 12, committedOn: '2020-06-01' },
    { type: 'CommitExpense', expenseId: 'x', category: 'devops', description: 'd', amount: new Decimal(NaN), committedOn: '2020-06-01' },
    { type: 'CommitExpense', expenseId: 'x', category: 'devops', description: 'd', amount: new Decimal('1'), committedOn: '2020-13-45' },
    { type: 'SignStatement', number: 'one' },
    { type: 'IssueFundCall', tranche: null, statement: {}, issuedOn: 5 },
    { type: 'PayTranche', paymentId: 'p', tranche: 1, amount: new Decimal(Infinity), paidOn: '2020-06-01' },
    { type: 'AmendConvention', signedOn: '2020-06-01', signatories: null, changes: 'everything' },
    { type: 'AmendConvention', signedOn: '2020-06-01', signatories: { funder: 'a', beneficiary: 'b' }, changes: { tranches: 'x' } },
    { type: 'AmendConvention', signedOn: '2020-06-01', signatories: { funder: 'a', beneficiary: 'b' }, changes: { tranches: [null] } },
    { type: 'RegisterConvention' },
    { type: 'RecordServiceDone', expenseId: { toString: null }, on: '2020-06-01' },
    { type: 'TerminateConvention', on: '2020-06-01', reason: 'r', atFault: 'nobody' },
  ];

  it.each(garbage.map((command) => [JSON.stringify(command) ?? String(command), command]))('refuses %s with a DomainError', (_, command) => {
    for (const s of [state, null]) {
      let thrown: unknown;
      try {
        decide(command as ConventionCommand, s);
      } catch (error) {
        thrown = error;
      }
      expect(thrown).toBeInstanceOf(DomainError);
    }
  });
});
