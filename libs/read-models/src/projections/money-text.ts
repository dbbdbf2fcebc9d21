import { formatMoney, money } from '@cl/domain';

/** Already canonical: what formatMoney(money(text)) gives back unchanged (no parse needed). */
const CANONICAL_MONEY = /^(0|[1-9][0-9]{0,14})\.[0-9]{2}$/;

/** Events already carry canonical amounts; normalising again keeps the TEXT columns byte-identical whatever an old event held. */
export const moneyText = (amount: string) => (CANONICAL_MONEY.test(amount) ? amount : formatMoney(money(amount)));

/** The same for the one signed amount the events hold, a statement correction ("-1200.00"). */
export const signedMoneyText = (amount: string) =>
  amount.startsWith('-') ? `-${moneyText(amount.slice(1))}` : moneyText(amount);
