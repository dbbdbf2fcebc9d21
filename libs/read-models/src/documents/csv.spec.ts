import { parseCsv } from '../../../../test/read-models/support/csv';
import { csvHead, csvRow, neutraliseFormula } from './csv';
import { frenchDate, frenchEuros, frenchPercent } from './french-format';

describe('CSV dialects and formula neutralisation', () => {
  it('a text cell starting with =, +, -, @, a tab or a carriage return gets a leading apostrophe; nothing else changes', () => {
    for (const text of ['=1+1', '+33 1 23', '-5', '@SUM(A1)', '\tcmd', '\rcmd']) expect(neutraliseFormula(text)).toBe(`'${text}`);
    for (const text of ['', 'a=b', ' =1', '1-2', '\'=already', 'Hébergement']) expect(neutraliseFormula(text)).toBe(text);
  });

  it('amounts stay numbers, negative ones included, with the dialect\'s decimal mark; texts are quoted when they hold the separator, a quote or a line break', () => {
    const cells = [{ amount: '-1200.05' }, '-1200.05', 'a,b', 'a;b', 'say "hi"', 'two\r\nlines', '\r'];
    expect(parseCsv(csvHead(['x'], 'rfc4180') + csvRow(cells, 'rfc4180'), ',')[1]).toEqual(['-1200.05', '\'-1200.05', 'a,b', 'a;b', 'say "hi"', 'two\r\nlines', '\'\r']);
    expect(csvRow(cells, 'rfc4180')).toBe('-1200.05,\'-1200.05,"a,b",a;b,"say ""hi""","two\r\nlines","\'\r"\r\n');
    expect(csvRow(cells, 'fr')).toBe('-1200,05;\'-1200.05;a,b;"a;b";"say ""hi""";"two\r\nlines";"\'\r"\r\n');
  });

  it('the fr dialect starts with a byte-order mark, rfc4180 does not', () => {
    expect(csvHead(['a', 'b'], 'fr')).toBe('\uFEFFa;b\r\n');
    expect(csvHead(['a', 'b'], 'rfc4180')).toBe('a,b\r\n');
  });

  it('French presentation is exact string work on the canonical text', () => {
    expect(frenchEuros('1234567.89')).toBe('1\u00A0234\u00A0567,89\u00A0€');
    expect(frenchEuros('-1000.05')).toBe('-1\u00A0000,05\u00A0€');
    expect(frenchEuros('999999999999999.99')).toBe('999\u00A0999\u00A0999\u00A0999\u00A0999,99\u00A0€');
    expect(frenchEuros('0.00')).toBe('0,00\u00A0€');
    expect(() => frenchEuros('12.5')).toThrow(TypeError);
    expect(frenchDate('2021-05-25')).toBe('25/05/2021');
    expect(frenchPercent('37.50')).toBe('37,50\u00A0%');
  });
});
