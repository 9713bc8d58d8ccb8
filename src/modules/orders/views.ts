/**
 * Response shapes of orders:
 * - the buyer's view (get-order): `{order_id, status, content: {price?, virtual_price?, is_free, items[]}}` —
 *   real-money orders carry `price` (two-decimal strings, unit price per item), virtual-currency orders carry
 *   `virtual_price` (integer strings, the currency's sku as `currency`), free orders neither;
 * - the admin view (admin-order-search): the spec's order object with `user`, `items[]` (with their catalog
 *   name and image as `description`), `price` with `is_virtual_currency`, four-decimal amounts as the spec's
 *   example, `date_created` ISO 8601.
 */
import { Decimal } from 'decimal.js';
import type { CatalogSnapshot } from '../../catalog/snapshot.js';
import { formatIsoWithOffset } from '../../lib/dates.js';
import { pickLocalized } from '../../lib/locale.js';
import { money2, money4 } from '../../lib/money.js';
import type { OrderLineRow, OrderRow } from './repository.js';

const vcAmount = (amount: string) => new Decimal(amount).toFixed(0);

/** The buyer's view of an order (get-order). */
export function orderView(order: OrderRow, lines: OrderLineRow[]) {
  const real = order.currency_type === 'real' && order.currency !== null;
  const virtual = order.currency_type === 'virtual' && order.currency !== null;
  const content: Record<string, unknown> = {};
  if (real) {
    content.price = {
      amount: money2(order.amount),
      amount_without_discount: money2(order.amount_without_discount),
      currency: order.currency,
    };
  }
  if (virtual) {
    content.virtual_price = {
      amount: vcAmount(order.amount),
      amount_without_discount: vcAmount(order.amount_without_discount),
      currency: order.currency,
    };
  }
  content.is_free = order.is_free;
  content.items = lines.map((l) => ({
    sku: l.sku,
    quantity: l.quantity,
    is_free: l.is_free,
    ...(real
      ? {
          price: {
            amount: money2(l.amount),
            amount_without_discount: money2(l.amount_without_discount),
            currency: order.currency,
          },
        }
      : {}),
  }));
  return { order_id: order.order_id, status: order.status, content };
}

/** The order's price in the admin view, or null for a free order. */
function adminPrice(order: OrderRow, amount: string, withoutDiscount: string) {
  if (order.currency === null || order.currency_type === 'unknown') return null;
  return {
    amount: money4(amount),
    amount_without_discount: money4(withoutDiscount),
    currency: order.currency,
    is_virtual_currency: order.currency_type === 'virtual',
  };
}

/** `description` of an admin order line: the item's catalog name and image (null when it is gone). */
function lineDescription(snapshot: CatalogSnapshot | null, itemId: number) {
  const item = snapshot?.byId.get(itemId);
  if (!item) return null;
  return {
    name: pickLocalized(item.name, 'en') ?? item.sku,
    ...(item.image_url ? { image_url: item.image_url } : {}),
    description: pickLocalized(item.description, 'en') ?? '',
  };
}

/** The admin view of an order (admin-order-search). */
export function adminOrderView(order: OrderRow, lines: OrderLineRow[], snapshot: CatalogSnapshot | null) {
  return {
    order_id: order.order_id,
    project_id: order.project_id,
    status: order.status,
    date_created: formatIsoWithOffset(order.created_at),
    mode: order.mode,
    is_free: order.is_free,
    ...(order.invoice_id ? { invoice_id: order.invoice_id } : {}),
    price: adminPrice(order, order.amount, order.amount_without_discount),
    user: {
      id: order.user_id,
      ...(order.user_country ? { country: order.user_country } : {}),
      ...(order.user_email ? { email: order.user_email } : {}),
      region_id: null,
    },
    items: lines.map((l) => ({
      order_item_id: l.order_item_id,
      item_id: l.item_id,
      sku: l.sku,
      type: l.type,
      quantity: l.quantity,
      is_free: l.is_free,
      is_bonus: false,
      region_id: null,
      price: l.is_free ? null : adminPrice(order, l.amount, l.amount_without_discount),
      description: lineDescription(snapshot, l.item_id),
    })),
    promotions: [],
    coupons: [],
  };
}
