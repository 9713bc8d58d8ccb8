/**
 * The pay station's view of an order: the buyer's view (orders/views.ts) plus item names from the catalog, the
 * project name, expiry, failed attempts, the game codes a delivered order handed out (the buyer's receipt) and the
 * return link the payment UI settings asked for.
 */
import type { CatalogSnapshot } from '../../catalog/snapshot.js';
import { formatIsoWithOffset } from '../../lib/dates.js';
import { pickLocalized } from '../../lib/locale.js';
import type { OrderLineRow, OrderRow } from '../orders/repository.js';
import { externalIdOf, redirectConditionsOf, redirectDelayOf, returnUrlOf } from '../orders/settings.js';
import { orderView } from '../orders/views.js';

type Money = { amount: string; amount_without_discount: string; currency: string };

/**
 * The status the real Pay Station puts in the return URL for the order's state: `done` (paid and delivered),
 * `delivering` (paid, delivery under way), `troubled` (a payment attempt failed; the order still awaits
 * payment), `canceled` (the buyer gave up, or the order expired), `invoice` (awaiting payment).
 */
export function returnStatus(status: string, failures: number): string {
  if (status === 'done') return 'done';
  if (status === 'paid') return 'delivering';
  if (status === 'canceled' || status === 'expired') return 'canceled';
  return failures > 0 ? 'troubled' : 'invoice';
}

/**
 * `settings.return_url` with the query the real Pay Station adds — `status` (returnStatus), `user_id`,
 * `invoice_id` once paid, `foreigninvoice` (`settings.external_id`) when given — or null when the order has no
 * usable return URL. Any absolute URI works, app schemes included (`app://xpayment.com.example?status=done&…`).
 */
export function returnUrl(order: OrderRow, failures = 0, expired = false): string | null {
  const url = returnUrlOf(order.settings);
  if (!url) return null;
  url.searchParams.set('status', returnStatus(expired ? 'expired' : order.status, failures));
  url.searchParams.set('user_id', order.user_id);
  if (order.invoice_id) url.searchParams.set('invoice_id', order.invoice_id);
  const external = externalIdOf(order.settings);
  if (external) url.searchParams.set('foreigninvoice', external);
  return url.toString();
}

/**
 * Seconds after which the pay station sends the buyer back by itself once the buyer acted (Pay, Fail, Cancel),
 * or null when it does not: `settings.redirect_policy.redirect_conditions` decides — `successful` returns after
 * a payment, `successful_or_canceled` also after a cancel, `any` also after a failed attempt, `none` never;
 * without a redirect policy the sandbox returns after every outcome (docs/decisions/0020-payment-settings.md).
 * `delay` is honoured.
 */
export function autoReturnAfter(order: OrderRow, failures: number, expired: boolean): number | null {
  if (!returnUrlOf(order.settings)) return null;
  const outcome = returnStatus(expired ? 'expired' : order.status, failures);
  const conditions = redirectConditionsOf(order.settings);
  const allowed: Record<string, string[]> = {
    successful: ['done', 'delivering'],
    successful_or_canceled: ['done', 'delivering', 'canceled'],
    any: ['done', 'delivering', 'canceled', 'troubled'],
    none: [],
  };
  const outcomes = conditions === null ? allowed.any : (allowed[conditions] ?? []);
  return outcomes.includes(outcome) && !expired ? redirectDelayOf(order.settings) : null;
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
    return_url: returnUrl(order, d.failures, d.expired),
    return_after_seconds: autoReturnAfter(order, d.failures, d.expired),
    payable: status === 'new',
  };
}
