import { event } from '@cl/domain';
import { Projector, statementCsv } from '@cl/read-models';
import { describeEachDialect, type ReadModelTestDb } from '../../../../test/read-models/support/read-model-dialects';
import { parseCsv } from '../../../../test/read-models/support/csv';
import { inEffect, LedgerFixture, referenceCase, SEED_TERMS } from '../../../../test/read-models/support/ledger-fixture';

const C = 'c-ref';
/**
 * Amended twice (2020-09-01; 2021-03-01, v2: categories, the beneficiary's representative and
 * bank account), terminated on 2021-04-01 (decided on 2021-03-25): terms that change with the date asked.
 */
const AMENDED = 'c-amended';
const SIGNATORIES = { funder: 'Yves Le Breton', beneficiary: 'Nadi Bou Hanna' };
const AMENDED_TRANCHES = [
  SEED_TERMS.tranches[0],
  SEED_TERMS.tranches[1],
  { number: 3, amount: '500000.00', release: { on: 'consumption' as const, threshold: '1000000.00' } },
];
const AMENDED_CATEGORIES = ['devops', 'design', 'hosting'];
/** The same bank as the registered account, another account number and its RIB key. */
const AMENDED_ACCOUNT = { bankCode: '30001', branchCode: '00064', accountNumber: '00000092442', key: '37' };
const amendedCase = () => [
  ...inEffect(AMENDED, 'AMENDED-2020'),
  event('ConventionAmended', {
    number: 1, signedOn: '2020-09-01', signatories: SIGNATORIES, changes: { ceiling: '1700000.00', durationMonths: 18, tranches: AMENDED_TRANCHES },
    ceiling: '1700000.00', durationMonths: 18, endsOn: '2021-11-11', tranches: AMENDED_TRANCHES,
  }),
  event('ConventionAmended', {
    number: 2, signedOn: '2021-03-01', signatories: SIGNATORIES,
    changes: { durationMonths: 24, expenseCategories: AMENDED_CATEGORIES, beneficiary: { representative: 'Stéphanie Schaer', bankAccount: AMENDED_ACCOUNT } },
    ceiling: '1700000.00', durationMonths: 24, endsOn: '2022-05-11', tranches: AMENDED_TRANCHES,
    expenseCategories: AMENDED_CATEGORIES,
    funder: SEED_TERMS.funder,
    beneficiary: { ...SEED_TERMS.beneficiary, representative: 'Stéphanie Schaer', bankAccount: AMENDED_ACCOUNT },
  }),
  event('ConventionTerminated', {
    decidedOn: '2021-03-25', effectiveOn: '2021-04-01', decidedBy: 'beneficiary', reason: 'project stopped', atFault: 'beneficiary',
    participation: '0.00', received: '0.00', restitutionDue: '0.00', owedToBeneficiary: '0.00', lapsedTranches: [1, 2, 3],
  }),
];

describeEachDialect('read-model queries', (harness) => {
  let ledger: LedgerFixture;
  let readModels: ReadModelTestDb;

  beforeAll(async () => {
    ledger = LedgerFixture.open();
    readModels = await harness.open();
    await ledger.append(C, referenceCase(C));
    await ledger.append(AMENDED, amendedCase());
    await new Projector(ledger.store, readModels.db).catchUp();
  });
  afterAll(async () => {
    await readModels.close();
    await ledger.close();
  });

  it('as of 2020-12-31, the reference case has received 800,000.00 and consumed 610,000.75', async () => {
    expect(await readModels.queries.getBalance(C, '2020-12-31')).toEqual({
      conventionId: C,
      asOf: '2020-12-31',
      status: 'active',
      ceiling: '1600000.00',
      committed: '610000.75',
      serviceDone: '610000.75',
      paid: '610000.75',
      consumed: '610000.75',
      rejected: '30000.00',
      called: '0.00',
      due: '800000.00',
      received: '800000.00',
      outstanding: '0.00',
      remainingCeiling: '800000.00',
      tranches: [
        { number: 1, amount: '800000.00', status: 'paid', paid: '800000.00' },
        { number: 2, amount: '400000.00', status: 'scheduled', paid: '0.00' },
        { number: 3, amount: '400000.00', status: 'scheduled', paid: '0.00' },
      ],
      provisional: false,
      restitution: { due: '0.00', paid: '0.00', outstanding: '0.00' },
      owedToBeneficiary: { due: '0.00', paid: '0.00', outstanding: '0.00' },
    });
  });

  it('the current balance is the as-of balance with no limit', async () => {
    const current = await readModels.queries.getBalance(C);
    expect(current).toEqual({ ...(await readModels.queries.getBalance(C, '9999-12-31')), asOf: null });
    expect(current).toMatchObject({
      status: 'settled', consumed: '660000.75', received: '1200000.00', called: '400000.00', due: '1200000.00',
      restitution: { due: '539999.25', paid: '539999.25', outstanding: '0.00' },
    });
  });

  it('before the signatures everything is zero and the convention a draft', async () => {
    expect(await readModels.queries.getBalance(C, '2020-05-10')).toMatchObject({
      status: 'draft', committed: '0.00', due: '0.00', received: '0.00', rejected: '0.00',
    });
  });

  it('an unknown convention answers undefined everywhere', async () => {
    expect(await readModels.queries.getBalance('nope')).toBeUndefined();
    expect(await readModels.queries.getConvention('nope')).toBeUndefined();
    expect(await readModels.queries.listExpenses('nope')).toBeUndefined();
    expect(await readModels.queries.listStatements('nope')).toBeUndefined();
  });

  it('statements list in order; the CSV reads back to the same lines, with their details', async () => {
    const statements = await readModels.queries.listStatements(C);
    expect(statements!.map((statement) => [statement.number, statement.final, statement.previousCumulativeTotal, statement.cumulativeTotal])).toEqual([
      [1, false, '0.00', '610000.75'], [2, true, '610000.75', '660000.75'],
    ]);
    const statement = (await readModels.queries.getStatement(C, 1))!;
    const csv = statementCsv(statement);
    expect(csv.endsWith('\r\n')).toBe(true);
    expect(csv.split('\r\n')[2]).toBe('e2,design,"design, ""UX"" research",210000.75,2020-07-01,2020-10-31,2020-11-30,,,,,,,,line,,,');
    const [header, ...records] = parseCsv(csv);
    expect(header).toEqual([
      'expenseId', 'category', 'description', 'amount', 'committedOn', 'serviceDoneOn', 'paidOn',
      'contract', 'payeeName', 'payeeSiret', 'commitmentNumber', 'invoiceNumber', 'invoiceIssuedOn', 'paymentOrder',
      'type', 'listedOn', 'rejectedOn', 'rejectionReason',
    ]);
    const read = records.map((record) => Object.fromEntries(header.map((column, index) => [column, record[index]])));
    expect(read.map((line) => ({
      expenseId: line.expenseId, category: line.category, description: line.description, amount: line.amount,
      committedOn: line.committedOn, serviceDoneOn: line.serviceDoneOn, paidOn: line.paidOn, contract: line.contract || null,
      payee: line.payeeName ? { name: line.payeeName, siret: line.payeeSiret || null } : null, commitmentNumber: line.commitmentNumber || null,
      invoice: line.invoiceNumber ? { number: line.invoiceNumber, issuedOn: line.invoiceIssuedOn } : null, paymentOrder: line.paymentOrder || null,
    }))).toEqual(statement.lines);
    expect(read.map((line) => line.type)).toEqual(['line', 'line']);
    expect(read[0]).toMatchObject({ payeeName: 'Octo Technology', payeeSiret: '41878960300044', invoiceNumber: 'F-2020-117', paymentOrder: 'MDT-2020-0815' });
  });

  it('lists conventions by status and reference', async () => {
    expect(await readModels.queries.listConventions({ status: 'settled', reference: 'ANCT-DINUM-2020' })).toEqual([
      expect.objectContaining({ id: C, status: 'settled', ceiling: '1600000.00', effectiveOn: '2020-05-11', endsOn: '2021-05-11' }),
    ]);
    expect(await readModels.queries.listConventions({ status: 'active' })).toEqual([]);
  });

  describe('as of a date', () => {
    it('expenses: only those committed by then, each with the steps and rejection dated by then and its state recomputed', async () => {
      const asOf = (date?: string) => readModels.queries.listExpenses(C, date);
      const brief = (expenses: Awaited<ReturnType<typeof asOf>>) => expenses!.map((expense) => ({
        id: expense.expenseId, state: expense.state, serviceDoneOn: expense.serviceDoneOn, paidOn: expense.paidOn,
        acceptedOn: expense.acceptedOn, rejectedOn: expense.rejection?.on ?? null,
      }));
      // e4 committed on 2020-08-01 and rejected on 2020-09-01: not rejected yet on 2020-08-15.
      expect(brief(await asOf('2020-08-15'))).toEqual([
        { id: 'e1', state: 'committed', serviceDoneOn: null, paidOn: null, acceptedOn: null, rejectedOn: null },
        { id: 'e2', state: 'committed', serviceDoneOn: null, paidOn: null, acceptedOn: null, rejectedOn: null },
        { id: 'e4', state: 'committed', serviceDoneOn: null, paidOn: null, acceptedOn: null, rejectedOn: null },
      ]);
      expect(brief(await asOf('2020-10-31'))).toEqual([
        { id: 'e1', state: 'paid', serviceDoneOn: '2020-09-30', paidOn: '2020-10-15', acceptedOn: null, rejectedOn: null },
        { id: 'e2', state: 'service-done', serviceDoneOn: '2020-10-31', paidOn: null, acceptedOn: null, rejectedOn: null },
        { id: 'e4', state: 'rejected', serviceDoneOn: null, paidOn: null, acceptedOn: null, rejectedOn: '2020-09-01' },
      ]);
      // e3 is committed on 2021-01-10: absent on 2020-12-31, present the day it is committed.
      expect((await asOf('2020-12-31'))!.map((expense) => [expense.expenseId, expense.state])).toEqual([
        ['e1', 'accepted'], ['e2', 'accepted'], ['e4', 'rejected'],
      ]);
      expect((await asOf('2021-01-10'))!.map((expense) => [expense.expenseId, expense.state])).toEqual([
        ['e1', 'accepted'], ['e2', 'accepted'], ['e4', 'rejected'], ['e3', 'committed'],
      ]);
      expect(await asOf('2020-05-31')).toEqual([]);
      // The current list is the as-of list with no limit, down to every field.
      const current = await asOf();
      expect(current).toEqual(await asOf('9999-12-31'));
      expect(current!.find((expense) => expense.expenseId === 'e4')).toMatchObject({
        state: 'rejected', rejection: { on: '2020-09-01', reason: 'not eligible', atStep: 'committed' },
      });
      expect(await readModels.queries.getExpense(C, 'e3', '2021-01-09')).toBeUndefined();
      expect(await readModels.queries.getExpense(C, 'e3', '2021-02-15')).toMatchObject({ state: 'service-done', paidOn: null });
    });

    it('statements: only those drawn up by then (not merely past their cutoff), with the signatures dated by then and valid recomputed', async () => {
      const brief = (statements: Awaited<ReturnType<typeof readModels.queries.listStatements>>) => statements!.map((statement) => ({
        number: statement.number, signedAs: statement.signatures.map((signature) => signature.as), valid: statement.valid,
      }));
      expect(await readModels.queries.listStatements(C, '2020-12-30')).toEqual([]);
      // Defect 6: statement 1's cutoff is 2020-12-31, but it was drawn up on 2021-01-04.
      expect(await readModels.queries.listStatements(C, '2020-12-31')).toEqual([]);
      expect(await readModels.queries.listStatements(C, '2021-01-03')).toEqual([]);
      expect(brief(await readModels.queries.listStatements(C, '2021-01-04'))).toEqual([{ number: 1, signedAs: [], valid: false }]);
      expect(brief(await readModels.queries.listStatements(C, '2021-01-05'))).toEqual([{ number: 1, signedAs: ['authorizing-officer'], valid: false }]);
      expect(brief(await readModels.queries.listStatements(C, '2021-05-20'))).toEqual([
        { number: 1, signedAs: ['authorizing-officer', 'public-accountant'], valid: true },
        { number: 2, signedAs: ['authorizing-officer'], valid: false },
      ]);
      // One statement: unknown before it was drawn up, its frozen lines (and so its CSV) the same whatever the date.
      expect(await readModels.queries.getStatement(C, 2, '2021-05-10')).toBeUndefined();
      expect(await readModels.queries.getStatement(C, 2, '2021-05-14')).toBeUndefined();
      expect(await readModels.queries.getStatement(C, 2, '2021-05-15')).toMatchObject({ number: 2, cutoff: '2021-05-11', drawnUpOn: '2021-05-15', signatures: [] });
      const early = (await readModels.queries.getStatement(C, 1, '2021-01-05'))!;
      const current = (await readModels.queries.getStatement(C, 1))!;
      expect(early).toMatchObject({ cutoff: '2020-12-31', valid: false, signatures: [expect.objectContaining({ signedOn: '2021-01-05' })] });
      expect(early.signatures).toHaveLength(1);
      expect(statementCsv(early)).toBe(statementCsv(current));
      expect(current).toEqual(await readModels.queries.getStatement(C, 1, '9999-12-31'));
      expect(await readModels.queries.listStatements(C)).toEqual(await readModels.queries.listStatements(C, '9999-12-31'));
    });

    it('convention: status, signatures and the terms in force by then (A3), the same rule as the balance', async () => {
      const convention = (id: string, date?: string) => readModels.queries.getConvention(id, date);
      expect(await convention(AMENDED, '2020-05-10')).toMatchObject({
        status: 'draft', signatures: [], effectiveOn: null, endsOn: null, ceiling: '1600000.00', durationMonths: 12,
        amendments: [], amendmentsCount: 0, funder: expect.objectContaining({ signature: null }),
      });
      expect(await convention(AMENDED, '2020-08-31')).toMatchObject({
        status: 'active', effectiveOn: '2020-05-11', endsOn: '2021-05-11', ceiling: '1600000.00', durationMonths: 12, amendmentsCount: 0,
        signatures: [{ party: 'funder', signatory: 'Yves Le Breton', signedOn: '2020-05-11' }, expect.objectContaining({ party: 'beneficiary' })],
        tranches: [expect.anything(), expect.anything(), { number: 3, amount: '400000.00', release: { on: 'consumption', threshold: '1000000.00' } }],
      });
      const firstAmendment = (await convention(AMENDED, '2020-09-01'))!;
      expect(firstAmendment).toMatchObject({
        status: 'active', ceiling: '1700000.00', durationMonths: 18, endsOn: '2021-11-11', amendmentsCount: 1,
        tranches: [expect.anything(), expect.anything(), expect.objectContaining({ number: 3, amount: '500000.00' })],
        terminatedOn: null, termination: null,
      });
      expect(firstAmendment.amendments.map((amendment) => amendment.number)).toEqual([1]);
      expect(await convention(AMENDED, '2021-03-24')).toMatchObject({ status: 'active', durationMonths: 24, endsOn: '2022-05-11', amendmentsCount: 2, termination: null });
      const termination = { decidedOn: '2021-03-25', effectiveOn: '2021-04-01', decidedBy: 'beneficiary', reason: 'project stopped', atFault: 'beneficiary' };
      expect(await convention(AMENDED, '2021-03-31')).toMatchObject({ status: 'active', terminatedOn: null, termination });
      expect(await convention(AMENDED, '2021-04-01')).toMatchObject({ status: 'terminated', terminatedOn: '2021-04-01', termination });
      // Closed, then settled, by their dates.
      expect(await convention(C, '2021-07-01')).toMatchObject({ status: 'closed', closedOn: '2021-06-30', settledOn: null });
      // The convention and its balance agree on status and ceiling whatever the date.
      for (const date of ['2020-05-10', '2020-08-31', '2020-09-01', '2021-04-01']) {
        const view = (await convention(AMENDED, date))!;
        const balance = (await readModels.queries.getBalance(AMENDED, date))!;
        expect([view.status, view.ceiling]).toEqual([balance.status, balance.ceiling]);
      }
      for (const id of [C, AMENDED]) expect(await convention(id)).toEqual(await convention(id, '9999-12-31'));
      expect(await convention(AMENDED)).toMatchObject({ status: 'terminated', endsOn: '2022-05-11', amendmentsCount: 2 });
      expect((await readModels.queries.listConventions({ status: 'terminated' })).map((summary) => summary.id)).toEqual([AMENDED]);
    });

    it('convention: categories, representatives and bank accounts (with their IBAN) of the terms in force by then (A2 v2)', async () => {
      const before = (await readModels.queries.getConvention(AMENDED, '2021-02-28'))!;
      expect(before.expenseCategories).toEqual(SEED_TERMS.expenseCategories);
      expect(before.beneficiary).toMatchObject({
        representative: 'Nadi Bou Hanna', organisation: '120027016', accountingOrganisation: 'SCBCM-SPM',
        bankAccount: { bankCode: '30001', branchCode: '00064', accountNumber: '00000092441', key: '40', holder: 'SCBCM SERVICES PREMIER MINISTRE' },
        iban: 'FR7630001000640000009244140', signature: { signatory: 'Nadi Bou Hanna', signedOn: '2020-05-11' },
      });
      const after = (await readModels.queries.getConvention(AMENDED, '2021-03-01'))!;
      expect(after.expenseCategories).toEqual(AMENDED_CATEGORIES);
      expect(after.beneficiary).toMatchObject({
        representative: 'Stéphanie Schaer', organisation: '120027016', accountingOrganisation: 'SCBCM-SPM',
        bankAccount: { ...AMENDED_ACCOUNT, holder: null }, iban: 'FR7630001000640000009244237',
        // The signature is the convention's (S1), not the amendment's.
        signature: { signatory: 'Nadi Bou Hanna', signedOn: '2020-05-11' },
      });
      expect(after.funder).toEqual(before.funder);
      expect(await readModels.queries.getConvention(AMENDED)).toMatchObject({ expenseCategories: AMENDED_CATEGORIES, beneficiary: { representative: 'Stéphanie Schaer' } });
      // Amendments recorded before v2 carry no parties nor categories: the earlier ones stay in force.
      expect((await readModels.queries.getConvention(AMENDED, '2020-09-01'))!.beneficiary).toEqual(before.beneficiary);
    });
  });
});
