/**
 * The pay station's view of an order: the buyer's view (orders/views.ts) plus item names from the catalog, the
 * project name, expiry, failed attempts, the game codes a delivered order handed out (the buyer's receipt) and the
 * return link the payment UI settings asked for.
 */
import type { CatalogSnapshot } from '../../catalog/snapshot.js';
import { formatIsoWithOffset } from '../../lib/dates.js';
import { pickLocalized } from '../../lib/locale.js';
import type { OrderLineRow, OrderRow } from '../orders/repository.js';
import { orderView } from '../orders/views.js';

type Money = { amount: string; amount_without_discount: string; currency: string };

/**
 * `settings.return_url` with `status`, `invoice_id` and `user_id` added (the real service adds these to the
 * link), or null when the order has none.
 */
export function returnUrl(order: OrderRow): string | null {
  const raw = order.settings?.return_url;
  if (typeof raw !== 'string') return null;
  try {
    const url = new URL(raw);
    if (url.protocol !== 'http:' && url.protocol !== 'https:') return null;
    url.searchParams.set('status', order.status);
    url.searchParams.set('user_id', order.user_id);
    if (order.invoice_id) url.searchParams.set('invoice_id', order.invoice_id);
    return url.toString();
  } catch {
    return null;
  }
}

/** The JSON view of GET /api/paystation/{token} and of the answers of pay, fail and cancel. */
export function paystationView(
  d: { order: OrderRow; lines: OrderLineRow[]; failures: number; expired: boolean },
  snapshot: CatalogSnapshot | null,
  codes: { sku: string; code: string }[] = [],
  locale = 'en',
) {
  const { order, lines } = d;
  const view = orderView(order, lines);
  const content = view.content as {
    price?: Money;
    virtual_price?: Money;
    is_free: boolean;
    items: { price?: Money }[];
  };
  const status = d.expired ? 'expired' : order.status;
  return {
    order_id: order.order_id,
    project_id: order.project_id,
    project_name: snapshot?.project.name ?? '',
    status,
    mode: order.mode,
    expires_at: order.expires_at ? formatIsoWithOffset(order.expires_at) : null,
    is_free: order.is_free,
    price: content.price ?? null,
    virtual_price: content.virtual_price ?? null,
    items: lines.map((l, i) => {
      const item = snapshot?.byId.get(l.item_id);
      return {
        sku: l.sku,
        name: (item && pickLocalized(item.name, locale)) ?? l.sku,
        quantity: l.quantity,
        is_free: l.is_free,
        price: content.items[i]?.price ?? null,
      };
    }),
    payment_failures: d.failures,
    game_codes: order.status === 'done' ? codes : [],
    return_url: returnUrl(order),
    payable: status === 'new',
  };
}
