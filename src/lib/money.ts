/**
 * Money as decimal strings (DESIGN §3): amounts are never JS floats in arithmetic. Catalog and cart responses
 * carry two decimals (`"1.99"`), webhooks four (`"1.9900"`), admin responses a JSON number (`4.99`, as the spec).
 */
import { Decimal } from 'decimal.js';

/** `"1.9"` → `"1.90"`. */
export const money2 = (amount: string | number): string => new Decimal(amount).toFixed(2);
/** `"1.9"` → `"1.9000"`. */
export const money4 = (amount: string | number): string => new Decimal(amount).toFixed(4);
/** Exact decimal string → JSON number for admin views (`"4.9900"` → 4.99). */
export const moneyNumber = (amount: string): number => new Decimal(amount).toNumber();
/** Normalizes an input amount (number or string) to a decimal string with at most 4 places. */
export const moneyInput = (amount: number | string): string =>
  new Decimal(amount).toDecimalPlaces(4).toString();
/** Σ amount × quantity, as a decimal string. */
export function sumMoney(rows: { amount: string; quantity: number }[]): string {
  return rows
    .reduce((acc, r) => acc.plus(new Decimal(r.amount).times(r.quantity)), new Decimal(0))
    .toString();
}
