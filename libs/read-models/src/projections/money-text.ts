import { formatMoney, money } from '@cl/domain';

/** Events already carry canonical amounts; normalising again keeps the TEXT columns byte-identical whatever an old event held. */
export const moneyText = (amount: string) => formatMoney(money(amount));

/** The same for the one signed amount the events hold, a statement correction ("-1200.00"). */
export const signedMoneyText = (amount: string) =>
  amount.startsWith('-') ? `-${moneyText(amount.slice(1))}` : moneyText(amount);
