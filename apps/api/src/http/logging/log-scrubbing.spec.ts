import { scrubLogLine } from './log-scrubbing';

describe('log lines are scrubbed of bank accounts and credentials', () => {
  it.each([
    ['an IBAN written in one block', '{"msg":"refused FR7630001007941234567890185 here"}', 'FR7630001007941234567890185'],
    ['an IBAN written in groups of four', '{"msg":"iban FR76 3000 1007 9412 3456 7890 185"}', '3000 1007 9412'],
    ['a bearer token', '{"msg":"header Authorization: Bearer token-funder-anct was refused"}', 'token-funder-anct'],
  ])('masks %s', (_label, line, secret) => {
    expect(line).toContain(secret);
    expect(scrubLogLine(line)).not.toContain(secret);
  });

  it('leaves ordinary fields alone: codes, ids, amounts, organisations', () => {
    const line = '{"requestId":"4b9c0d3e-1f2a-4c5b-8d6e-7f8091a2b3c4","code":"VALIDATION_FAILED","organisation":"130026032","amount":"1000.01","statusCode":400}';
    expect(scrubLogLine(line)).toBe(line);
  });
});
