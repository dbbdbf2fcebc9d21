import { formatMoney, money } from '@cl/domain';

/** Events already carry canonical amounts; normalising again keeps the TEXT columns byte-identical whatever an old event held. */
export const moneyText = (amount: string) => formatMoney(money(amount));
