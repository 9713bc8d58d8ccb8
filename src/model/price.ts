/**
 * Which of an item's real-currency prices a buyer sees (the catalog, carts, orders and bundle totals share it).
 * Pure functions over the item model's `PriceRecord`; amounts are decimal strings, never converted.
 */
import type { PriceRecord } from './item.js';

/**
 * The real-currency price for `country`: the enabled price of that country, else the default price, else the
 * first enabled price valid everywhere; null when there is none.
 */
export function pickPrice(prices: PriceRecord[], country: string | null): PriceRecord | null {
  const enabled = prices.filter((p) => p.is_enabled);
  return (
    (country ? enabled.find((p) => p.country_iso === country) : undefined) ??
    enabled.find((p) => p.is_default && !p.country_iso) ??
    enabled.find((p) => p.is_default) ??
    enabled.find((p) => !p.country_iso) ??
    null
  );
}

/**
 * The enabled real-currency price in `currency` for `country`: that country's price in the currency, else the
 * default or any country-less price in it, else any price in it (another country's); null when the item has no
 * price in `currency` — amounts are never converted between currencies (docs/decisions/0017-carts.md).
 */
export function pickPriceIn(
  prices: PriceRecord[],
  currency: string,
  country: string | null,
): PriceRecord | null {
  const inCurrency = prices.filter((p) => p.is_enabled && p.currency === currency);
  return (
    (country ? inCurrency.find((p) => p.country_iso === country) : undefined) ??
    inCurrency.find((p) => p.is_default && !p.country_iso) ??
    inCurrency.find((p) => !p.country_iso) ??
    inCurrency.find((p) => p.is_default) ??
    inCurrency[0] ??
    null
  );
}
