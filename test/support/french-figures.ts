/**
 * A figure as the public page and the PDF print it (libs/read-models french-format.ts), back to
 * the canonical form of the JSON: "1 234 567,89 €" → "1234567.89", "37,50 %" → "37.50".
 */
export function canonicalFromFrench(text: string): string {
  return text.replace(/[\s\u00A0\u202F€%]/g, '').replace(',', '.');
}
