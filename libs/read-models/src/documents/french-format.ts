/**
 * French presentation of our canonical values, for documents people read (the statement's PDF,
 * the public page): exact string work on the canonical text, never a float. Thousands are
 * grouped by a no-break space (U+00A0: in the PDF's standard fonts, unlike the narrow one Intl
 * uses), the decimal mark is a comma: "1 234 567,89 €".
 */
const NO_BREAK_SPACE = '\u00A0';

/** "-1234567.89" → "-1 234 567,89 €" (canonical two-decimal money text, as events and read models hold it). */
export function frenchEuros(amount: string): string {
  const [, sign, units, cents] = /^(-?)([0-9]+)\.([0-9]{2})$/.exec(amount) ?? [];
  if (units === undefined) throw new TypeError(`not a canonical amount: ${JSON.stringify(amount)}`);
  const grouped = units.replace(/\B(?=([0-9]{3})+$)/g, NO_BREAK_SPACE);
  return `${sign}${grouped},${cents}${NO_BREAK_SPACE}€`;
}

/** "2021-05-25" → "25/05/2021". */
export function frenchDate(date: string): string {
  const [year, month, day] = date.split('-');
  return `${day}/${month}/${year}`;
}

/** "37.50" → "37,50 %". */
export const frenchPercent = (percent: string): string => `${percent.replace('.', ',')}${NO_BREAK_SPACE}%`;
