import { Projector, statementCsv } from '@cl/read-models';
import { describeEachDialect, type ReadModelTestDb } from '../../../../test/read-models/support/read-model-dialects';
import { LedgerFixture, referenceCase } from '../../../../test/read-models/support/ledger-fixture';

const C = 'c-ref';

/** A strict RFC 4180 reader (quoted fields, doubled quotes, CRLF records), to read the CSV back. */
function parseCsv(text: string): string[][] {
  const records: string[][] = [];
  let field = '';
  let record: string[] = [];
  let index = 0;
  while (index < text.length) {
    if (text[index] === '"') {
      index += 1;
      for (;;) {
        if (text[index] === '"' && text[index + 1] === '"') { field += '"'; index += 2; }
        else if (text[index] === '"') { index += 1; break; }
        else { field += text[index]; index += 1; }
      }
    } else if (text[index] === ',') {
      record.push(field); field = ''; index += 1;
    } else if (text.startsWith('\r\n', index)) {
      record.push(field); records.push(record); field = ''; record = []; index += 2;
    } else {
      field += text[index]; index += 1;
    }
  }
  if (field !== '' || record.length > 0) throw new Error('the last record does not end with CRLF');
  return records;
}

describeEachDialect('read-model queries', (harness) => {
  let ledger: LedgerFixture;
  let readModels: ReadModelTestDb;

  beforeAll(async () => {
    ledger = LedgerFixture.open();
    readModels = await harness.open();
    await ledger.append(C, referenceCase(C));
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
      restitution: { due: '0.00', paid: '0.00', outstanding: '0.00' },
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

  it('statements list in order; the CSV reads back to the same lines', async () => {
    const statements = await readModels.queries.listStatements(C);
    expect(statements!.map((statement) => [statement.number, statement.final, statement.cumulativeTotal])).toEqual([
      [1, false, '610000.75'], [2, true, '660000.75'],
    ]);
    const statement = (await readModels.queries.getStatement(C, 1))!;
    const csv = statementCsv(statement);
    expect(csv.endsWith('\r\n')).toBe(true);
    expect(csv.split('\r\n')[2]).toBe('e2,design,"design, ""UX"" research",210000.75,2020-07-01,2020-10-31,2020-11-30');
    const [header, ...records] = parseCsv(csv);
    expect(header).toEqual(['expenseId', 'category', 'description', 'amount', 'committedOn', 'serviceDoneOn', 'paidOn']);
    expect(records.map((record) => Object.fromEntries(header.map((column, index) => [column, record[index]])))).toEqual(statement.lines);
  });

  it('lists conventions by status and reference', async () => {
    expect(await readModels.queries.listConventions({ status: 'settled', reference: 'ANCT-DINUM-2020' })).toEqual([
      expect.objectContaining({ id: C, status: 'settled', ceiling: '1600000.00', effectiveOn: '2020-05-11', endsOn: '2021-05-11' }),
    ]);
    expect(await readModels.queries.listConventions({ status: 'active' })).toEqual([]);
  });
});
