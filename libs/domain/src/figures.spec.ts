import { type ExpenseFacts, type Figures, type LedgerFacts, figuresAsOf } from './figures';
import { money } from './money';

/**
 * figuresAsOf, the one definition of a convention's figures (C1, X1, R1, R2, P1, E4), on plain
 * facts: the seed's terms (ceiling 1,600,000.00; tranches 800,000 at signature, 400,000 at
 * 600,000 consumed, 400,000 at 1,000,000), in effect from 2020-05-11, tranche 1 due then.
 */
const m = (amount: string) => money(amount);
const SEED_TRANCHES = [{ number: 1, amount: m('800000.00') }, { number: 2, amount: m('400000.00') }, { number: 3, amount: m('400000.00') }];

function facts(overrides: Partial<LedgerFacts> = {}): LedgerFacts {
  return {
    effectiveOn: '2020-05-11',
    terms: [{ ceiling: m('1600000.00'), tranches: SEED_TRANCHES }],
    expenses: [],
    tranchesDue: [{ tranche: 1, amount: m('800000.00'), on: '2020-05-11', cause: 'signature' }],
    tranchePayments: [],
    settlementPayments: [],
    restitutions: [],
    finalStatementsValidOn: [],
    ...overrides,
  };
}

const accepted = (amount: string, on: string, more: Partial<ExpenseFacts> = {}): ExpenseFacts =>
  ({ amount: m(amount), committedOn: on, serviceDoneOn: on, paidOn: on, acceptedOn: on, ...more });

/** The money figures as text, for readable expectations. */
function text(figures: Figures) {
  const t = (v: { toFixed(n: number): string }) => v.toFixed(2);
  return {
    status: figures.status, provisional: figures.provisional,
    ceiling: t(figures.ceiling), committed: t(figures.committed), serviceDone: t(figures.serviceDone), paid: t(figures.paid),
    consumed: t(figures.consumed), rejected: t(figures.rejected), called: t(figures.called), due: t(figures.due),
    received: t(figures.received), outstanding: t(figures.outstanding), remainingCeiling: t(figures.remainingCeiling),
    participation: figures.participation && t(figures.participation),
    restitution: { due: t(figures.restitution.due), paid: t(figures.restitution.paid), outstanding: t(figures.restitution.outstanding) },
    owedToBeneficiary: { due: t(figures.owedToBeneficiary.due), paid: t(figures.owedToBeneficiary.paid), outstanding: t(figures.owedToBeneficiary.outstanding) },
    tranches: figures.tranches.map((tr) => `${tr.number}:${tr.status}:${t(tr.paid)}`),
  };
}

describe('figuresAsOf: figures as of a business date', () => {
  const history = facts({
    expenses: [
      { amount: m('100.00'), committedOn: '2020-06-01', serviceDoneOn: '2020-06-10', paidOn: '2020-06-20', acceptedOn: '2020-06-30' },
      { amount: m('20.00'), committedOn: '2020-06-01', serviceDoneOn: '2020-06-10', rejectedOn: '2020-07-15' },
    ],
    tranchePayments: [{ tranche: 1, amount: m('500000.00'), on: '2020-06-15' }],
  });

  it('M2: a fact counts as of D when its business date is on or before D; before the effect the convention is a draft', () => {
    expect(text(figuresAsOf(history, '2020-05-10'))).toMatchObject({ status: 'draft', due: '0.00', committed: '0.00' });
    expect(text(figuresAsOf(history, '2020-06-10'))).toMatchObject({
      status: 'active', committed: '120.00', serviceDone: '120.00', paid: '0.00', consumed: '0.00', received: '0.00',
      due: '800000.00', outstanding: '800000.00', remainingCeiling: '1600000.00', tranches: ['1:due:0.00', '2:scheduled:0.00', '3:scheduled:0.00'],
    });
    expect(text(figuresAsOf(history, '2020-06-30'))).toMatchObject({
      committed: '120.00', paid: '100.00', consumed: '100.00', received: '500000.00', outstanding: '300000.00',
      remainingCeiling: '1100000.00', tranches: ['1:partially-paid:500000.00', '2:scheduled:0.00', '3:scheduled:0.00'],
    });
  });

  it('E3: an expense counts as rejected from its rejection date, and for nothing else from then on', () => {
    expect(text(figuresAsOf(history, '2020-07-14'))).toMatchObject({ committed: '120.00', rejected: '0.00' });
    expect(text(figuresAsOf(history, '2020-07-15'))).toMatchObject({ committed: '100.00', serviceDone: '100.00', rejected: '20.00' });
    expect(text(figuresAsOf(history))).toEqual(text(figuresAsOf(history, '2099-12-31')));
  });

  it('A3: the ceiling and the schedule are those in force on the date asked, and now those of the latest amendment', () => {
    const amended = facts({
      terms: [
        { ceiling: m('1600000.00'), tranches: SEED_TRANCHES },
        { from: '2020-12-01', ceiling: m('2000000.00'), tranches: [...SEED_TRANCHES.slice(0, 2), { number: 3, amount: m('800000.00') }] },
      ],
    });
    expect(text(figuresAsOf(amended, '2020-11-30'))).toMatchObject({ ceiling: '1600000.00', remainingCeiling: '1600000.00' });
    expect(text(figuresAsOf(amended, '2020-12-01'))).toMatchObject({ ceiling: '2000000.00', remainingCeiling: '2000000.00' });
    // Without a date: the terms in force now (the registered ones were shown before the fix).
    const now = figuresAsOf(amended);
    expect(text(now)).toMatchObject({ ceiling: '2000000.00', remainingCeiling: '2000000.00' });
    expect(now.tranches.map((t) => t.amount.toFixed(2))).toEqual(['800000.00', '400000.00', '800000.00']);
  });

  it('F1/P1: called counts the tranches due through a fund call; received counts tranche payments only', () => {
    const f = facts({
      tranchesDue: [
        { tranche: 1, amount: m('800000.00'), on: '2020-05-11', cause: 'signature' },
        { tranche: 2, amount: m('400000.00'), on: '2020-11-06', cause: 'fund-call' },
      ],
      tranchePayments: [{ tranche: 1, amount: m('800000.00'), on: '2020-05-20' }, { tranche: 2, amount: m('100000.00'), on: '2020-11-20' }],
    });
    expect(text(figuresAsOf(f))).toMatchObject({
      called: '400000.00', due: '1200000.00', received: '900000.00', outstanding: '300000.00',
      tranches: ['1:paid:800000.00', '2:partially-paid:100000.00', '3:scheduled:0.00'],
    });
  });
});

describe('figuresAsOf: C1 after closure', () => {
  // 1,300,000.00 consumed; tranches 1 and 2 received (1,200,000.00); tranche 3 never called.
  const closed = (more: Partial<LedgerFacts> = {}) => facts({
    expenses: [accepted('1300000.00', '2021-03-01')],
    tranchesDue: [
      { tranche: 1, amount: m('800000.00'), on: '2020-05-11', cause: 'signature' },
      { tranche: 2, amount: m('400000.00'), on: '2020-11-06', cause: 'fund-call' },
    ],
    tranchePayments: [{ tranche: 1, amount: m('800000.00'), on: '2020-05-20' }, { tranche: 2, amount: m('400000.00'), on: '2020-11-20' }],
    closedOn: '2021-06-01',
    ...more,
  });

  it('C1: participation = min(consumed, ceiling); what was not received is owed to the beneficiary; a tranche never due lapses', () => {
    expect(text(figuresAsOf(closed()))).toMatchObject({
      status: 'closed', participation: '1300000.00', received: '1200000.00', due: '1200000.00', outstanding: '0.00',
      restitution: { due: '0.00', paid: '0.00', outstanding: '0.00' },
      owedToBeneficiary: { due: '100000.00', paid: '0.00', outstanding: '100000.00' },
      remainingCeiling: '100000.00',
      tranches: ['1:paid:800000.00', '2:paid:400000.00', '3:lapsed:0.00'],
    });
  });

  it('C1/R2: settlement payments are counted apart from received; paying what is owed settles, and nothing is left to pay', () => {
    const settled = closed({ settlementPayments: [{ amount: m('100000.00'), on: '2021-06-15' }] });
    expect(text(figuresAsOf(settled))).toMatchObject({
      status: 'settled', received: '1200000.00', outstanding: '0.00', remainingCeiling: '0.00',
      owedToBeneficiary: { due: '100000.00', paid: '100000.00', outstanding: '0.00' },
      restitution: { due: '0.00', outstanding: '0.00' },
    });
    expect(figuresAsOf(settled, '2021-06-14').status).toBe('closed');
    expect(figuresAsOf(settled, '2021-05-31').status).toBe('active');
  });

  it('C1/E3: a late rejection after a settlement payment shows the excess as restitution due', () => {
    const f = closed({
      expenses: [accepted('1250000.00', '2021-03-01'), accepted('50000.00', '2021-03-01', { rejectedOn: '2021-09-01' })],
      settlementPayments: [{ amount: m('100000.00'), on: '2021-06-15' }],
    });
    expect(text(figuresAsOf(f, '2021-08-31'))).toMatchObject({ status: 'settled', participation: '1300000.00' });
    expect(text(figuresAsOf(f))).toMatchObject({
      status: 'closed', participation: '1250000.00',
      restitution: { due: '50000.00', outstanding: '50000.00' },
      owedToBeneficiary: { due: '50000.00', paid: '100000.00', outstanding: '0.00' },
    });
  });

  it('C1: participation is capped at the ceiling in force on the closure date', () => {
    const f = closed({
      terms: [
        { ceiling: m('1600000.00'), tranches: SEED_TRANCHES },
        { from: '2021-01-01', ceiling: m('1250000.00'), tranches: [...SEED_TRANCHES.slice(0, 2), { number: 3, amount: m('50000.00') }] },
      ],
    });
    expect(text(figuresAsOf(f))).toMatchObject({ participation: '1250000.00', owedToBeneficiary: { due: '50000.00' } });
  });

  it('C1: at the end, the unpaid part of a due tranche lapses too: a tranche with nothing paid on it is lapsed, a partly paid one keeps its status', () => {
    const f = closed({
      expenses: [accepted('700000.00', '2021-03-01')],
      tranchesDue: [
        { tranche: 1, amount: m('800000.00'), on: '2020-05-11', cause: 'signature' },
        { tranche: 2, amount: m('400000.00'), on: '2020-11-06', cause: 'fund-call' },
      ],
      tranchePayments: [{ tranche: 1, amount: m('600000.00'), on: '2020-05-20' }],
    });
    expect(text(figuresAsOf(f))).toMatchObject({
      due: '600000.00', received: '600000.00', outstanding: '0.00', participation: '700000.00',
      owedToBeneficiary: { due: '100000.00', outstanding: '100000.00' },
      tranches: ['1:partially-paid:600000.00', '2:lapsed:0.00', '3:lapsed:0.00'],
    });
    expect(text(figuresAsOf(f, '2021-05-31'))).toMatchObject({
      due: '1200000.00', outstanding: '600000.00', tranches: ['1:partially-paid:600000.00', '2:due:0.00', '3:scheduled:0.00'],
    });
  });

  it('R1: what was received and not used is to restitute; paid in full the convention is settled with nothing outstanding', () => {
    const f = closed({
      expenses: [accepted('660000.75', '2021-03-01')],
      restitutions: [{ amount: m('500000.00'), on: '2021-07-01' }, { amount: m('39999.25'), on: '2021-07-15' }],
    });
    expect(text(figuresAsOf(f, '2021-07-01'))).toMatchObject({
      status: 'closed', restitution: { due: '539999.25', paid: '500000.00', outstanding: '39999.25' },
    });
    expect(text(figuresAsOf(f))).toMatchObject({
      status: 'settled', outstanding: '0.00', remainingCeiling: '0.00',
      restitution: { due: '539999.25', paid: '539999.25', outstanding: '0.00' }, owedToBeneficiary: { due: '0.00', outstanding: '0.00' },
    });
  });

  it('R1: an over-restitution never shows a negative outstanding amount', () => {
    // 1,000,000.00 consumed, 1,200,000.00 received: 200,000.00 to give back; a rejection dated
    // 2021-09-01 raises it to 300,000.00, paid back on 2021-07-01 (recorded after the rejection).
    const f = closed({
      expenses: [accepted('900000.00', '2021-03-01'), accepted('100000.00', '2021-03-01', { rejectedOn: '2021-09-01' })],
      restitutions: [{ amount: m('300000.00'), on: '2021-07-01' }],
    });
    expect(text(figuresAsOf(f, '2021-08-01'))).toMatchObject({
      status: 'settled', restitution: { due: '200000.00', paid: '300000.00', outstanding: '0.00' },
    });
    expect(text(figuresAsOf(f))).toMatchObject({ status: 'settled', restitution: { due: '300000.00', paid: '300000.00', outstanding: '0.00' } });
  });
});

describe('figuresAsOf: X1 after a termination', () => {
  // Effect on 2020-09-15; 800,000.00 received.
  const terminated = (more: Partial<LedgerFacts> = {}) => facts({
    expenses: [
      accepted('300000.00', '2020-09-01'),
      { amount: m('200000.00'), committedOn: '2020-06-01', serviceDoneOn: '2020-09-20', paidOn: '2020-09-25', acceptedOn: '2020-09-30' },
      { amount: m('50000.00'), committedOn: '2020-06-01', serviceDoneOn: '2020-09-10' },
      accepted('10000.00', '2020-08-01', { rejectedOn: '2020-10-01' }),
    ],
    tranchePayments: [{ tranche: 1, amount: m('800000.00'), on: '2020-05-20' }],
    termination: { decidedOn: '2020-09-01', effectiveOn: '2020-09-15' },
    ...more,
  });

  it('X1: participation = accepted, non-rejected expenses served by the effect date; provisional until a final statement is valid', () => {
    expect(text(figuresAsOf(terminated()))).toMatchObject({
      status: 'terminated', provisional: true, participation: '300000.00', received: '800000.00', due: '800000.00', outstanding: '0.00',
      restitution: { due: '500000.00', outstanding: '500000.00' }, owedToBeneficiary: { due: '0.00', outstanding: '0.00' },
      tranches: ['1:paid:800000.00', '2:lapsed:0.00', '3:lapsed:0.00'],
    });
    expect(text(figuresAsOf(terminated({ finalStatementsValidOn: ['2020-10-20'] }), '2020-10-19'))).toMatchObject({ provisional: true });
    expect(text(figuresAsOf(terminated({ finalStatementsValidOn: ['2020-10-20'] }), '2020-10-20'))).toMatchObject({ provisional: false, status: 'terminated' });
  });

  it('X1: before its effect date a decided termination changes nothing', () => {
    expect(text(figuresAsOf(terminated(), '2020-09-14'))).toMatchObject({ status: 'active', provisional: false, participation: undefined });
  });

  it('X1/R1: with nothing owed either way the convention is settled only once the figures are final', () => {
    const exact = terminated({ tranchePayments: [{ tranche: 1, amount: m('300000.00'), on: '2020-05-20' }] });
    expect(text(figuresAsOf(exact))).toMatchObject({ status: 'terminated', provisional: true, restitution: { outstanding: '0.00' } });
    expect(text(figuresAsOf({ ...exact, finalStatementsValidOn: ['2020-10-20'] }))).toMatchObject({
      status: 'settled', provisional: false, outstanding: '0.00', remainingCeiling: '0.00',
    });
  });

  it('X1/R2: owed to the beneficiary beside an outstanding of zero; paid by settlement payments', () => {
    const owing = terminated({
      tranchePayments: [{ tranche: 1, amount: m('200000.00'), on: '2020-05-20' }],
      finalStatementsValidOn: ['2020-10-20'],
      settlementPayments: [{ amount: m('60000.00'), on: '2020-11-01' }],
    });
    expect(text(figuresAsOf(owing))).toMatchObject({
      status: 'terminated', participation: '300000.00', received: '200000.00', due: '200000.00', outstanding: '0.00',
      owedToBeneficiary: { due: '100000.00', paid: '60000.00', outstanding: '40000.00' }, remainingCeiling: '40000.00',
      tranches: ['1:partially-paid:200000.00', '2:lapsed:0.00', '3:lapsed:0.00'],
    });
  });

  it('X1: participation is capped at the ceiling in force on the effect date', () => {
    const f = terminated({
      terms: [
        { ceiling: m('1600000.00'), tranches: SEED_TRANCHES },
        { from: '2020-08-01', ceiling: m('250000.00'), tranches: [{ number: 1, amount: m('250000.00') }] },
      ],
      tranchePayments: [],
      tranchesDue: [],
    });
    expect(text(figuresAsOf(f))).toMatchObject({ participation: '250000.00', owedToBeneficiary: { due: '250000.00' } });
  });
});
