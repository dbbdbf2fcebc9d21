import { postgresArrayLiteral } from './postgres-array-literal';

describe('postgresArrayLiteral: one column of a batch, as the text of a PostgreSQL array parameter', () => {
  it('quotes every value, escapes backslashes and double quotes, and writes null and undefined as NULL', () => {
    expect(postgresArrayLiteral(['plain', 'NULL', '', 'say "hi"', 'back\\slash', '{a,b}', ' x ', null, undefined, 12, 9_007_199_254_740])).toBe(
      '{"plain","NULL","","say \\"hi\\"","back\\\\slash","{a,b}"," x ",NULL,NULL,"12","9007199254740"}',
    );
  });

  it('writes an empty column as an empty array', () => {
    expect(postgresArrayLiteral([])).toBe('{}');
  });
});
