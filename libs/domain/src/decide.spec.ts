import Decimal from 'decimal.js';
import type { ConventionCommand } from './commands';
import { decide } from './decide';
import { DomainError } from './errors';
import { fold } from './evolve';
import type { ConventionState } from './state';
import { activeSeed } from '../testing/builders';

const thrownBy = (run: () => unknown): unknown => {
  try {
    run();
  } catch (error) {
    return error;
  }
  throw new Error('expected decide to throw');
};

describe('decide: refusals are DomainErrors, bugs are not', () => {
  const state = fold(activeSeed());

  it.each([null, undefined, {}, { type: 'Nope' }].map((command) => [JSON.stringify(command) ?? String(command), command]))(
    'refuses an unknown command type, %s, as MALFORMED_COMMAND',
    (_, command) => {
      for (const s of [state, null]) {
        expect(thrownBy(() => decide(command as ConventionCommand, s))).toMatchObject({ kind: 'invalid', code: 'MALFORMED_COMMAND' });
      }
    },
  );

  // The HTTP edge validates shapes first; the guards still check what they check (ids, amounts,
  // dates, texts, enumerations), so a command built wrongly in code is refused, not recorded.
  const malformed: unknown[] = [
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
    { type: 'TerminateConvention', on: '2020-06-01', reason: 'r', atFault: 'nobody' },
  ];

  it.each(malformed.map((command) => [JSON.stringify(command), command]))('the guards refuse %s with a DomainError', (_, command) => {
    for (const s of [state, null]) {
      expect(thrownBy(() => decide(command as ConventionCommand, s))).toBeInstanceOf(DomainError);
    }
  });

  it('lets a bug propagate as itself (the HTTP edge answers 500 and logs it), never as a refusal', () => {
    // A state missing its expenses is no input a client can send: only a bug makes one.
    const broken = { ...state, expenses: undefined } as unknown as ConventionState;
    const command: ConventionCommand = {
      type: 'CommitExpense', expenseId: 'x', category: 'devops', description: 'd', amount: new Decimal('1.00'), committedOn: '2020-06-01',
    };
    const error = thrownBy(() => decide(command, broken));
    expect(error).toBeInstanceOf(TypeError);
    expect(error).not.toBeInstanceOf(DomainError);
  });
});
