import { printable } from './statement-pdf';

describe('statement PDF text', () => {
  it('keeps what the standard fonts print (Windows-1252) and shows anything else as ?', () => {
    expect(printable('Hébergement – « cloud » 1 000,05 € œuvre')).toBe('Hébergement – « cloud » 1 000,05 € œuvre');
    expect(printable('A中B\u202Fx😀')).toBe('A?B?x?');
  });
});
