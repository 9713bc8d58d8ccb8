/**
 * What one item costs when bought on each purchase path, from the catalog snapshot — the same rules the client
 * catalog shows (`can_be_bought`, the buyer's price), so an item a player sees as buyable can be ordered:
 * - real money: the item can be bought, is not free, and has a price (in the requested currency when it has one,
 *   else its price for the buyer's country, else its default price);
 * - free: the item can be bought and is free (seed-details §1.5: free orders go straight to `done`);
 * - virtual currency: the item can be bought and has an enabled price in that currency (charged in whole units:
 *   vcCharge rounds a fractional game-key price up).
 * Money is a decimal string; virtual-currency amounts are integers.
 */
import { Decimal } from 'decimal.js';
import { pickPrice, renderItem, type RenderContext } from '../../catalog/render.js';
import type { CatalogSnapshot } from '../../catalog/snapshot.js';
import { vcCharge, type ItemRecord, type PriceRecord } from '../items/model.js';
import { isSellable } from '../catalog/service.js';
import type { NewOrderLine } from './repository.js';

/** Who buys, where and when. */
export interface PurchaseContext {
  /** ISO 3166-1 alpha-2 of the buyer, or null when unknown. */
  country: string | null;
  /** ISO 4217 the buyer asked for (optional). */
  currency?: string;
  /** ms since epoch. */
  now: number;
  /** A guest of AuthForCart may only buy game keys (seed-details §1.3). */
  guest?: boolean;
}

/** Why an item cannot be bought on a path: `free` (a free item on a paid path), `invalid` (anything else). */
export type Refusal = 'free' | 'invalid';

function renderContext(snapshot: CatalogSnapshot, p: PurchaseContext): RenderContext {
  return { snapshot, locale: 'en', country: p.country, fields: new Set(), now: p.now };
}

/** True when the catalog shows the item as buyable for this buyer now (type, state, period, region, keys). */
export function isBuyable(snapshot: CatalogSnapshot, item: ItemRecord, p: PurchaseContext): boolean {
  if (!isSellable(item)) return false;
  if (p.guest && item.type !== 'game_key') return false;
  return renderItem(item, renderContext(snapshot, p)).can_be_bought === true;
}

/** The real-money price of the item for the buyer: in `currency` when the item has it, else pickPrice. */
export function realPrice(item: ItemRecord, p: PurchaseContext): PriceRecord | null {
  if (p.currency) {
    const inCurrency = item.prices.filter((x) => x.is_enabled && x.currency === p.currency!.toUpperCase());
    const picked = pickPrice(inCurrency, p.country) ?? inCurrency[0];
    if (picked) return picked;
  }
  return pickPrice(item.prices, p.country);
}

/** The order line of `quantity` × item bought with real money, or the refusal. */
export function realLine(
  snapshot: CatalogSnapshot,
  item: ItemRecord,
  quantity: number,
  p: PurchaseContext,
): { line: NewOrderLine; currency: string } | Refusal {
  if (!isBuyable(snapshot, item, p)) return 'invalid';
  if (item.is_free) return 'free';
  const price = realPrice(item, p);
  if (!price) return 'invalid';
  const amount = new Decimal(price.amount).toFixed(4);
  return {
    line: base(item, quantity, amount, false),
    currency: price.currency,
  };
}

/** The order line of a free item, or `invalid` when it is not free or cannot be bought. */
export function freeLine(
  snapshot: CatalogSnapshot,
  item: ItemRecord,
  quantity: number,
  p: PurchaseContext,
): NewOrderLine | 'invalid' {
  if (!item.is_free || !isBuyable(snapshot, item, p)) return 'invalid';
  return base(item, quantity, '0', true);
}

/**
 * The order line of one item bought for the virtual currency `currencySku`, with the currency's item id and the
 * integer amount to charge; `invalid` when the item cannot be bought or has no enabled price in that currency.
 */
export function virtualLine(
  snapshot: CatalogSnapshot,
  item: ItemRecord,
  currencySku: string,
  p: PurchaseContext,
): { line: NewOrderLine; currencyItemId: number; amount: number } | 'invalid' {
  if (!isBuyable(snapshot, item, p)) return 'invalid';
  const vc = snapshot.bySku.get(currencySku);
  if (!vc || vc.type !== 'virtual_currency') return 'invalid';
  const price = item.vc_prices.find((x) => x.is_enabled && x.currency_item_id === vc.item_id);
  if (!price) return 'invalid';
  const amount = vcCharge(price.amount); // whole units, a fractional price rounded up (ADR 0023)
  return {
    line: base(item, 1, String(amount), false),
    currencyItemId: vc.item_id,
    amount,
  };
}

function base(item: ItemRecord, quantity: number, unit: string, isFree: boolean): NewOrderLine {
  return {
    item_id: item.item_id,
    sku: item.sku,
    type: item.type,
    quantity,
    amount: unit,
    amount_without_discount: unit,
    is_free: isFree,
  };
}

/** Σ unit × quantity of the lines, as a decimal string with four places. */
export function totalOf(lines: { amount: string; quantity: number }[]): string {
  return lines
    .reduce((acc, l) => acc.plus(new Decimal(l.amount).times(l.quantity)), new Decimal(0))
    .toFixed(4);
}
