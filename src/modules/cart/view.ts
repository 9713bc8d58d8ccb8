/**
 * Pricing and the client view of a cart (spec get-user-cart / cart-fill responses), as pure functions over the
 * catalog snapshot. The rules (docs/decisions/0017-carts.md):
 *
 * - a line whose sku no longer exists in the catalog is not shown, priced or ordered (the item was deleted);
 * - a cart has ONE currency: the one asked for (`currency`), else the one the last fill asked for, else the
 *   currency of the first paid line's price for the buyer's country (catalog/render.ts pickPrice);
 * - each paid line is priced in that currency (catalog/render.ts pickPriceIn); amounts are never converted, so a
 *   line without a price in the cart's currency shows `price: null`, `can_be_bought: false`, is left out of the
 *   totals and cannot be ordered until the currency changes or the item gets a price in it;
 * - a free item shows `price: null` and `is_free: true` (spec admin-cart-fill example) and counts for nothing;
 * - `price` of a line is the unit price; the cart's `price` is Σ unit × quantity over the priced paid lines, or
 *   null when there is none; money is a two-decimal string (spec/NOTES.md); no discounts exist yet, so
 *   `amount_without_discount` equals `amount`;
 * - the cart is free when it has lines and every line is free.
 */
import { Decimal } from 'decimal.js';
import { pickPrice, pickPriceIn, renderItem, type RenderContext } from '../../catalog/render.js';
import type { CatalogSnapshot } from '../../catalog/snapshot.js';
import { money2 } from '../../lib/money.js';
import type { ItemRecord, PriceRecord } from '../items/model.js';
import type { CartLine } from './repository.js';

/** A line whose item exists, with its unit price in the cart's currency (null: free, or no such price). */
export interface PricedLine {
  sku: string;
  quantity: number;
  item: ItemRecord;
  price: PriceRecord | null;
}

/** A cart's lines priced in one currency. */
export interface PricedCart {
  /** ISO 4217 the cart is priced in, or null when none was asked for and no paid line has a price. */
  currency: string | null;
  lines: PricedLine[];
  /** Σ unit price × quantity of the priced paid lines (exact decimal). */
  total: Decimal;
  /** Whether at least one paid line has a price. */
  priced: boolean;
  isFree: boolean;
}

/** One rejected line of a fill (spec cart-fill `warnings[]`). */
export interface CartWarning {
  sku: string;
  quantity: number;
  errorCode: number;
  errorMessage: string;
}

/**
 * Prices `lines` (deleted skus dropped) in `requested` currency, else `stored`, else the currency of the first
 * paid line's price for `country`.
 */
export function priceCart(
  snapshot: CatalogSnapshot,
  lines: CartLine[],
  country: string | null,
  requested: string | null | undefined,
  stored: string | null,
): PricedCart {
  const resolved = lines.flatMap((l) => {
    const item = snapshot.bySku.get(l.sku);
    return item ? [{ ...l, item }] : [];
  });
  const currency =
    requested ??
    stored ??
    resolved
      .filter((l) => !l.item.is_free)
      .map((l) => pickPrice(l.item.prices, country)?.currency)
      .find((c) => c !== undefined) ??
    null;
  const priced: PricedLine[] = resolved.map((l) => ({
    ...l,
    price: l.item.is_free || currency === null ? null : pickPriceIn(l.item.prices, currency, country),
  }));
  const paid = priced.filter((l) => !l.item.is_free && l.price !== null);
  const total = paid.reduce(
    (acc, l) => acc.plus(new Decimal(l.price!.amount).times(l.quantity)),
    new Decimal(0),
  );
  return {
    currency,
    lines: priced,
    total,
    priced: paid.length > 0,
    isFree: priced.length > 0 && priced.every((l) => l.item.is_free),
  };
}

const moneyView = (amount: string, currency: string) => ({
  amount: money2(amount),
  amount_without_discount: money2(amount),
  currency,
});

/** Cart `limits` of an item (spec cart item schema: no state per user yet, so `available` = `total`). */
function limitsView(base: Record<string, unknown>) {
  const l = base.limits as {
    per_user: { total: number; available: number; recurrent_schedule: unknown } | null;
    per_item: { total: number; available: number } | null;
  } | null;
  if (!l) return null;
  return {
    per_user: l.per_user
      ? {
          total: l.per_user.total,
          available: l.per_user.available,
          ...(l.per_user.recurrent_schedule ? { recurrent_schedule: l.per_user.recurrent_schedule } : {}),
        }
      : null,
    per_item: l.per_item,
  };
}

/**
 * One line as the spec's cart item: the catalog view's fields (localized), the line's quantity and unit price.
 * Texts the spec types as strings are never null here (`""` when the item has none).
 */
export function renderLine(line: PricedLine, ctx: RenderContext): Record<string, unknown> {
  const base = renderItem(line.item, ctx);
  const sellable =
    base.can_be_bought === true && line.item.is_show_in_store && (line.item.is_free || line.price !== null);
  return {
    sku: line.item.sku,
    groups: base.groups,
    name: base.name,
    attributes: base.attributes,
    type: line.item.type,
    description: base.description ?? '',
    image_url: base.image_url ?? '',
    ...(base.inventory_options !== undefined ? { inventory_options: base.inventory_options } : {}),
    quantity: line.quantity,
    price: line.price ? moneyView(line.price.amount, line.price.currency) : null,
    ...(base.virtual_item_type !== undefined ? { virtual_item_type: base.virtual_item_type } : {}),
    virtual_prices: base.virtual_prices,
    is_free: line.item.is_free,
    is_bonus: false,
    promotions: [],
    can_be_bought: sellable,
    vp_rewards: [],
    limits: limitsView(base),
    periods: base.periods,
  };
}

/** The cart as get-user-cart / cart-fill answer it (`warnings` only for fills). */
export function renderCart(
  cartId: string,
  cart: PricedCart,
  ctx: RenderContext,
  warnings?: CartWarning[],
): Record<string, unknown> {
  return {
    cart_id: cartId,
    price: cart.priced && cart.currency ? moneyView(cart.total.toFixed(), cart.currency) : null,
    is_free: cart.isFree,
    items: cart.lines.map((l) => renderLine(l, ctx)),
    ...(warnings ? { warnings } : {}),
    promotions: [],
  };
}
