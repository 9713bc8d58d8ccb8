/**
 * `total_content_price` of a standard bundle: what its content would cost bought item by item, in the currency
 * the buyer sees the bundle's own price in. The one implementation of the rule, used by the catalog renderer
 * (catalog/render.ts) and the admin bundle view (bundles/view.ts).
 *
 * The rule (docs/decisions/0007-bundles.md):
 * - total = Σ unit price × quantity over the deliverable content, where the unit price is the two-decimal
 *   amount the catalog shows for that item (seed-details §5 G: 9.99×1 + 1.99×1 = 11.98; 3.99×1 + 19.99×10 +
 *   5.99×100 = 802.89, a nested bundle counting with its own price), so a client summing the `content[]` prices
 *   it displays gets the same number;
 * - deliverable content = the content items that exist and are enabled (seed-details §8 rule 6: a disabled item
 *   cannot be obtained as part of a bundle); items hidden from the store still count;
 * - the currency is the one of the bundle's own price for the buyer's country (catalog/render.ts pickPrice); a
 *   bundle sold only for virtual currency uses the currency of the first content item that has a price;
 * - each content item counts with its price in that currency: the price of the buyer's country when it is in
 *   that currency, else its default (or first) price valid everywhere in that currency; a free item counts 0;
 * - when a content item has no price in that currency, or nothing is deliverable, the total is `null` (a partial
 *   sum would understate the content's value).
 * Money is decimal arithmetic (decimal.js), never JS floats.
 */
import { Decimal } from 'decimal.js';
import { pickPrice } from './price.js';
import type { ItemRecord, PriceRecord } from './item.js';

/** `{amount, amount_without_discount, currency}` with two-decimal strings, as the catalog shows money. */
export interface MoneyView {
  amount: string;
  amount_without_discount: string;
  currency: string;
}

/** The content items a buyer of `bundle` receives, with their quantities (missing and disabled items left out). */
export function deliverableContent(
  bundle: Pick<ItemRecord, 'content'>,
  lookup: (itemId: number) => ItemRecord | undefined,
): { item: ItemRecord; quantity: number }[] {
  return bundle.content.flatMap((c) => {
    const item = lookup(c.item_id);
    return item && item.is_enabled ? [{ item, quantity: c.quantity }] : [];
  });
}

/**
 * The enabled price of `prices` in `currency` for a buyer in `country` (null when unknown): that country's
 * price, else the default price valid everywhere, else the first price valid everywhere; null when none.
 */
export function priceInCurrency(
  prices: PriceRecord[],
  currency: string,
  country: string | null,
): PriceRecord | null {
  const shown = pickPrice(prices, country);
  if (shown?.currency === currency) return shown;
  const same = prices.filter((p) => p.is_enabled && p.currency === currency);
  return (
    (country ? same.find((p) => p.country_iso === country) : undefined) ??
    same.find((p) => p.is_default && !p.country_iso) ??
    same.find((p) => !p.country_iso) ??
    null
  );
}

/**
 * `total_content_price` of `bundle` for a buyer in `country` (null = unknown), reading content items through
 * `lookup`. Returns null when it cannot be computed (see the module rule).
 */
export function totalContentPrice(
  bundle: Pick<ItemRecord, 'content' | 'prices'>,
  lookup: (itemId: number) => ItemRecord | undefined,
  country: string | null,
): MoneyView | null {
  const lines = deliverableContent(bundle, lookup);
  if (lines.length === 0) return null;
  const currency =
    pickPrice(bundle.prices, country)?.currency ??
    lines.map((l) => pickPrice(l.item.prices, country)?.currency).find((c) => c !== undefined);
  if (!currency) return null;
  let total = new Decimal(0);
  for (const { item, quantity } of lines) {
    if (item.is_free) continue;
    const price = priceInCurrency(item.prices, currency, country);
    if (!price) return null;
    total = total.plus(new Decimal(new Decimal(price.amount).toFixed(2)).times(quantity));
  }
  const amount = total.toFixed(2);
  return { amount, amount_without_discount: amount, currency };
}
