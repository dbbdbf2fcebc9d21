import * as path from 'node:path';
import { conventionStream } from '@cl/domain';
import { SqliteEventStore } from '@cl/event-store';
import { frenchEuros, statementContentHash } from '@cl/read-models';
import { parseCsv } from '../read-models/support/csv';
import { AS, ledgerOver } from '../support/ledger-http';
import { pdfText } from '../support/pdf-text';
import { startTestApp, type TestApp } from '../support/test-app';

const { beneficiary, accountant, auditor } = AS;

/** The text of a PDF, every run of white space (line breaks within a cell, frenchEuros' no-break spaces) as one space. */
const textOf = async (data: Buffer) => (await pdfText(data)).replace(/\s+/g, ' ');

const plain = (text: string) => text.replace(/\u00A0/g, ' ');

/**
 * Issue 11 item 5: a statement as PDF and as CSV in two dialects, checked against its JSON. The
 * convention has two statements: the first lists three expenses (one with every detail, two
 * whose texts look like spreadsheet formulas); one of them is rejected afterwards, so the second
 * carries a correction line with a negative amount.
 */
describe('statements as documents: PDF, CSV in two dialects, no formula injection', () => {
  let t: TestApp;
  let id: string;
  let statement2: Record<string, unknown> & { lines: { amount: string }[]; corrections: { amount: string }[] };

  beforeAll(async () => {
    t = await startTestApp();
    const ledger = ledgerOver(t);
    id = await ledger.active('DOCUMENTS-1');
    await ledger.payTranche(id, 1, '800000.00', '2020-05-20');
    const detailed = (await t.http.post(`/conventions/${id}/expenses`).set(beneficiary).send({
      category: 'devops', description: 'Hébergement; "cloud" souverain', amount: '123456.78', committedOn: '2020-06-01',
      contract: 'MARCHE-2020-17', payee: { name: 'Octo Technology', siret: '41878960300044' }, commitmentNumber: 'EJ-2020-0001',
    }).expect(201)).body.expenseId;
    await t.http.post(`/conventions/${id}/expenses/${detailed}/service-done`).set(beneficiary).send({ on: '2020-07-01', invoice: { number: 'F-2020-42', issuedOn: '2020-07-01' } }).expect(200);
    await t.http.post(`/conventions/${id}/expenses/${detailed}/payment`).set(beneficiary).send({ paidOn: '2020-07-15', paymentOrder: 'MDT-778' }).expect(200);
    await t.http.post(`/conventions/${id}/expenses/${detailed}/acceptance`).set(accountant).send({ on: '2020-07-20' }).expect(200);
    const formula = await ledger.expense(id, '1000.05', { committed: '2020-06-02', done: '2020-07-02', paid: '2020-07-16', accepted: '2020-07-21', description: '=HYPERLINK("http://evil.example","clic")' });
    await ledger.expense(id, '99.95', { committed: '2020-06-03', done: '2020-07-03', paid: '2020-07-17', accepted: '2020-07-22', description: '-2+3+cmd|calc' });
    await ledger.signedStatement(id, { cutoff: '2020-07-31', final: false }, ['2020-08-03', '2020-08-04']);
    await t.http.post(`/conventions/${id}/expenses/${formula}/rejection`).set(accountant).send({ on: '2020-09-01', reason: '@SUM(A1:A2) inéligible' }).expect(200);
    await ledger.expense(id, '5000.00', { committed: '2020-08-01', done: '2020-09-02', paid: '2020-09-10', accepted: '2020-09-15', category: 'design' });
    await ledger.signedStatement(id, { cutoff: '2020-09-30', final: false, drawnUpOn: '2020-10-02' }, ['2020-10-05', '2020-10-06']);
    statement2 = (await t.http.get(`/conventions/${id}/statements/2`).set(auditor).expect(200)).body;
  });
  afterAll(async () => t.close());

  it('the fixture: statement 2 has one new line and one correction, 5,000.00 − 1,000.05', () => {
    expect(statement2).toMatchObject({
      total: '5000.00', previousCumulativeTotal: '124556.78', cumulativeTotal: '128556.73',
      corrections: [{ amount: '-1000.05', listedOn: 1, rejectedOn: '2020-09-01', reason: '@SUM(A1:A2) inéligible' }],
    });
  });

  it('PDF: header, lines with their dates and details, corrections, totals, signatures and the content hash', async () => {
    const one = (await t.http.get(`/conventions/${id}/statements/1`).set(auditor).expect(200)).body;
    const res = await t.http.get(`/conventions/${id}/statements/1`).set(auditor).set('Accept', 'application/pdf')
      .buffer(true).parse((response, done) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () => done(null, Buffer.concat(chunks)));
      }).expect(200);
    expect(res.headers['content-type']).toBe('application/pdf');
    const text = await textOf(res.body as Buffer);
    expect(text).toContain('ERDA) n° 1');
    expect(text).toContain('DOCUMENTS-1');
    expect(text).toContain('IBAN FR7630001000640000009244140');
    expect(text).toContain('IBAN FR7610071590000000102014889');
    expect(text).toMatch(/fonds de concours 1-2-00548 ; programme 352 ; BOP DINUM \(0352-CFSE\)/);
    expect(text).toContain('non final, arrêté au 31/07/2020, établi le 31/07/2020');
    for (const line of one.lines as { amount: string }[]) expect(text).toContain(plain(frenchEuros(line.amount)));
    expect(text).toMatch(/01\/06\/2020\s+01\/07\/2020\s+15\/07\/2020/);
    for (const detail of ['Octo Technology', 'SIRET 41878960300044', 'EJ-2020-0001', 'F-2020-42', 'MDT-778', 'MARCHE-2020-17']) expect(text).toContain(detail);
    expect(text).toMatch(new RegExp(`Nouveau cumul\\s+${plain(frenchEuros(one.cumulativeTotal))}`));
    expect(text).toMatch(/Cumul précédent\s+0,00 €/);
    expect(text).toContain('Signé par Ordonnateur DINUM (compte ordonnateur-dinum), en qualité d\'ordonnateur, le 03/08/2020');
    expect(text).toContain('Signé par Comptable CBCM (compte comptable-cbcm), en qualité de comptable assignataire, le 04/08/2020');
    expect(text).toContain(statementContentHash(one));
  });

  it('PDF of a statement with a correction: the negative amount and the totals add up; the same statement gives the same bytes', async () => {
    const get = async () => (await t.http.get(`/conventions/${id}/statements/2`).set(auditor).set('Accept', 'application/pdf')
      .buffer(true).parse((response, done) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () => done(null, Buffer.concat(chunks)));
      }).expect(200)).body as Buffer;
    const first = await get();
    expect((await get()).equals(first)).toBe(true);
    const text = await textOf(first);
    expect(text).toContain('état intermédiaire');
    expect(text).toContain('-1 000,05 €');
    expect(text).toContain('@SUM(A1:A2) inéligible');
    expect(text).toMatch(/Total des nouvelles lignes\s+5 000,00 €/);
    expect(text).toMatch(/Total des corrections\s+-1 000,05 €/);
    expect(text).toMatch(/Cumul précédent\s+124 556,78 €/);
    expect(text).toMatch(/Nouveau cumul\s+128 556,73 €/);
    expect(text).toContain(statementContentHash(statement2 as never));
  });

  const csvColumns = ['expenseId', 'amount', 'description', 'type', 'rejectionReason'] as const;
  /** The CSV's rows as records of the columns above; a leading apostrophe before a formula character is the neutralisation. */
  const recordsOf = (rows: string[][]) => rows.slice(1).map((row) => Object.fromEntries(csvColumns.map((c) => [c, row[rows[0].indexOf(c)]])));
  const expectedRecords = (decimalMark: '.' | ',') => [
    ...(statement2.lines as { expenseId: string; amount: string; description: string }[]).map((l) => ({
      expenseId: l.expenseId, amount: l.amount.replace('.', decimalMark), description: l.description, type: 'line', rejectionReason: '',
    })),
    ...(statement2.corrections as { expenseId: string; amount: string; reason: string }[]).map((c) => ({
      expenseId: c.expenseId, amount: c.amount.replace('.', decimalMark), description: '', type: 'correction', rejectionReason: `'${c.reason}`,
    })),
  ];

  it('CSV, RFC 4180 (the default): parsed back, it is the JSON statement; a correction amount stays a negative number', async () => {
    const res = await t.http.get(`/conventions/${id}/statements/2`).set(auditor).set('Accept', 'text/csv').expect(200);
    expect(res.headers['content-type']).toBe('text/csv; charset=utf-8; header=present');
    expect(res.text.charCodeAt(0)).not.toBe(0xfeff);
    expect(recordsOf(parseCsv(res.text, ','))).toEqual(expectedRecords('.'));
  });

  it('CSV, ?dialect=fr: semicolons, decimal commas, UTF-8 with a BOM; the same records', async () => {
    const res = await t.http.get(`/conventions/${id}/statements/2?dialect=fr`).set(auditor).buffer(true).expect(200);
    const raw = Buffer.from(res.text, 'utf8');
    expect([...raw.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(res.text.split('\r\n')[0]).toContain('expenseId;category;description;amount');
    expect(recordsOf(parseCsv(res.text, ';'))).toEqual(expectedRecords(','));
  });

  it('no formula injection: a text cell starting with =, -, @ is prefixed with an apostrophe in both dialects; quotes and separators are quoted', async () => {
    for (const [query, separator] of [['', ','], ['?dialect=fr', ';']] as const) {
      const rows = parseCsv((await t.http.get(`/conventions/${id}/statements/1${query}`).set(auditor).set('Accept', 'text/csv').expect(200)).text, separator);
      const descriptions = rows.slice(1).map((row) => row[rows[0].indexOf('description')]);
      expect(descriptions).toEqual(['Hébergement; "cloud" souverain', '\'=HYPERLINK("http://evil.example","clic")', '\'-2+3+cmd|calc']);
      expect(rows.slice(1).map((row) => row[rows[0].indexOf('amount')])).toEqual(
        separator === ',' ? ['123456.78', '1000.05', '99.95'] : ['123456,78', '1000,05', '99,95'],
      );
    }
  });

  it('an unknown dialect is 400 VALIDATION_FAILED naming the field, whatever the Accept', async () => {
    for (const accept of ['text/csv', 'application/pdf', 'application/json']) {
      const res = await t.http.get(`/conventions/${id}/statements/1?dialect=excel`).set(auditor).set('Accept', accept).expect(400);
      expect(res.body.code).toBe('VALIDATION_FAILED');
      expect(res.body.errors.map((e: { field: string }) => e.field)).toEqual(['dialect']);
    }
  });

  it('the content hash is the same computed from the stored StatementDrawnUp event as from the statement read', async () => {
    const { events } = (await t.http.get(`/conventions/${id}/events`).set(auditor).expect(200)).body;
    const drawnUp = events.filter((e: { type: string }) => e.type === 'StatementDrawnUp').map((e: { data: never }) => statementContentHash(e.data));
    const read = await Promise.all([1, 2].map(async (n) => statementContentHash((await t.http.get(`/conventions/${id}/statements/${n}`).set(auditor).expect(200)).body)));
    expect(drawnUp).toEqual(read);
    expect(new Set(read).size).toBe(2);

    // …and the one each signature is sealed with in the store (docs/audit.md, "Tamper evidence").
    const store = new SqliteEventStore(path.join(t.dataDir, 'events.sqlite'));
    try {
      const seals = (await store.readStream(conventionStream(id))).filter((e) => e.type === 'StatementSigned')
        .map((e) => [e.data.number, e.metadata.statementContentHash]);
      expect(seals).toEqual([[1, read[0]], [1, read[0]], [2, read[1]], [2, read[1]]]);
    } finally {
      await store.close();
    }
  });
});
