/**
 * The body of the order webhooks (`order_paid`, `order_canceled`) as the real service sends them (the sandbox
 * capture spec/webhook-order_paid-sandbox-capture.json and spec/NOTES.md "Webhooks the real service sends"),
 * built from what an order stores. Pure: the repository gathers the facts, this decides the shape. Key order
 * follows the capture, so an order like the captured one gives the captured bytes minus `billing` (which only
 * the combined payment mode of the real service adds and Itemshop has no payment data for).
 *
 * Decisions (docs/decisions/0010-webhooks.md):
 * - `items[].amount`: the line total (unit price × quantity) in the order's currency, 4 decimals (`"1.9900"`);
 *   bundle content rows carry `"0.0000"` (the bundle row carries the money).
 * - `items[].custom_attributes` only when the item has some; `order.coupons`/`order.promocodes` only when the
 *   order used one (never yet: the capture of a plain order has neither); `custom_parameters` only when the
 *   order was created with some.
 * - version 2 adds `is_free`, `is_bonus` (always false: no bonus promotions) and `is_bundle_content` to every
 *   item, and lists each bundle's content right after the bundle row (`is_bundle_content: true`, quantity =
 *   content quantity × bundles bought). Version 1 lists only what was bought: without the flag a receiver could
 *   not tell content rows from bought rows and would grant twice.
 * - `order.status` is the status the event announces: `paid` for order_paid, `canceled` for order_canceled.
 * - `billing` only in `order_paid` of a real-money order created with `settings.external_id`, to carry the
 *   merchant's transaction id where the real payment notification does (`billing.transaction.external_id`),
 *   with the invoice as `transaction.id`, the total, `dry_run: 1` in sandbox mode and the payment date
 *   (docs/decisions/0020-payment-settings.md); there are no fees or payment method data to report.
 * - `order.comment` is null, except on an order_paid whose order could not deliver everything (a game code or an
 *   item deleted while the order was open): then it says what is missing (docs/decisions/0040-*.md).
 */
import { money4, sumMoney } from '../../lib/money.js';

export type OrderEventType = 'order_paid' | 'order_canceled';

/** Webhook format version (update-webhook `version`): 2 adds per-item flags and bundle content rows. */
export type WebhookVersion = 1 | 2;

/** What the webhook tells about the order. Money as decimal strings. */
export interface WebhookOrderFacts {
  order_id: number;
  mode: 'default' | 'sandbox';
  currency_type: 'real' | 'virtual' | 'unknown';
  /** ISO 4217 code, the virtual currency's sku, or null (free orders). */
  currency: string | null;
  /** Order total. */
  amount: string;
  /** Where the order was bought (`xsolla`, or the platform of a virtual-currency purchase). */
  platform: string;
  user_id: string;
  user_email: string | null;
  user_country: string | null;
  custom_parameters: Record<string, unknown> | null;
  /** The payment's transaction id (orders.invoice_id; null when nothing was paid in real money). */
  invoice_id: string | null;
  /** `order.comment`: null, or what a paid order could not deliver (ADR 0040). Absent = null. */
  comment?: string | null;
  /**
   * The payment of a real-money order created with `settings.external_id` (the merchant's transaction id): sent
   * in `order_paid` as the `billing` block the real service's combined mode adds, with what Itemshop knows of the
   * payment (docs/decisions/0020-payment-settings.md). Absent: no `billing`.
   */
  billing?: WebhookBillingFacts;
}

/** What the `billing` block of `order_paid` tells. */
export interface WebhookBillingFacts {
  project_id: number;
  merchant_id: number;
  /** `settings.external_id` of the order request. */
  external_id: string;
  /** When the order was paid, ISO 8601 with offset (null when unknown). */
  payment_date: string | null;
}

/** A unit of content of a bundle line. */
export interface WebhookContentFacts {
  sku: string;
  type: string;
  /** Quantity in ONE bundle. */
  quantity: number;
  is_pre_order: boolean;
  custom_attributes: Record<string, unknown> | null;
}

/** One order line. */
export interface WebhookLineFacts {
  sku: string;
  type: string;
  quantity: number;
  /** Unit price, decimal string. */
  amount: string;
  is_free: boolean;
  is_pre_order: boolean;
  custom_attributes: Record<string, unknown> | null;
  /** The bundle's content (empty for other types). */
  content: WebhookContentFacts[];
}

export interface WebhookItem {
  sku: string;
  type: string;
  is_pre_order: boolean;
  quantity: number;
  amount: string;
  promotions: unknown[];
  custom_attributes?: Record<string, unknown>;
  is_free?: boolean;
  is_bonus?: boolean;
  is_bundle_content?: boolean;
}

export interface OrderWebhookBody {
  items: WebhookItem[];
  notification_type: OrderEventType;
  order: {
    id: number;
    mode: 'default' | 'sandbox';
    currency_type: 'real' | 'virtual' | 'unknown';
    currency: string | null;
    amount: string;
    status: 'paid' | 'canceled';
    platform: string;
    comment: string | null;
    invoice_id: string | null;
    promotions: unknown[];
  };
  user: { external_id: string; email: string | null; country: string | null };
  custom_parameters?: Record<string, unknown>;
  billing?: {
    notification_type: 'payment';
    settings: { project_id: number; merchant_id: number };
    purchase: { total: { currency: string | null; amount: number } };
    transaction: {
      id: number | string | null;
      external_id: string;
      dry_run?: 1;
      payment_date: string | null;
    };
  };
}

const hasKeys = (o: Record<string, unknown> | null): o is Record<string, unknown> =>
  o !== null && typeof o === 'object' && Object.keys(o).length > 0;

function itemRow(
  base: Omit<WebhookItem, 'promotions' | 'custom_attributes'>,
  attrs: Record<string, unknown> | null,
  version: WebhookVersion,
  flags: { is_free: boolean; is_bundle_content: boolean },
): WebhookItem {
  const row: WebhookItem = {
    sku: base.sku,
    type: base.type,
    is_pre_order: base.is_pre_order,
    quantity: base.quantity,
    amount: base.amount,
    promotions: [],
  };
  if (hasKeys(attrs)) row.custom_attributes = attrs;
  if (version === 2)
    Object.assign(row, {
      is_free: flags.is_free,
      is_bonus: false,
      is_bundle_content: flags.is_bundle_content,
    });
  return row;
}

/** The webhook body of `type` for an order and its lines (in the order's line order). */
export function buildOrderWebhookBody(
  type: OrderEventType,
  order: WebhookOrderFacts,
  lines: WebhookLineFacts[],
  version: WebhookVersion,
): OrderWebhookBody {
  const items: WebhookItem[] = [];
  for (const line of lines) {
    items.push(
      itemRow(
        {
          sku: line.sku,
          type: line.type,
          is_pre_order: line.is_pre_order,
          quantity: line.quantity,
          amount: money4(sumMoney([line])),
        },
        line.custom_attributes,
        version,
        { is_free: line.is_free, is_bundle_content: false },
      ),
    );
    if (version !== 2) continue;
    for (const c of line.content) {
      items.push(
        itemRow(
          {
            sku: c.sku,
            type: c.type,
            is_pre_order: c.is_pre_order,
            quantity: c.quantity * line.quantity,
            amount: money4(0),
          },
          c.custom_attributes,
          version,
          { is_free: line.is_free, is_bundle_content: true },
        ),
      );
    }
  }
  const body: OrderWebhookBody = {
    items,
    notification_type: type,
    order: {
      id: order.order_id,
      mode: order.mode,
      currency_type: order.currency_type,
      currency: order.currency,
      amount: money4(order.amount),
      status: type === 'order_paid' ? 'paid' : 'canceled',
      platform: order.platform,
      comment: order.comment ?? null,
      invoice_id: order.invoice_id,
      promotions: [],
    },
    user: { external_id: order.user_id, email: order.user_email, country: order.user_country },
  };
  if (hasKeys(order.custom_parameters)) body.custom_parameters = order.custom_parameters;
  if (type === 'order_paid' && order.billing && order.currency_type === 'real') {
    const { billing } = order;
    const invoice = order.invoice_id;
    body.billing = {
      notification_type: 'payment',
      settings: { project_id: billing.project_id, merchant_id: billing.merchant_id },
      purchase: { total: { currency: order.currency, amount: Number(money4(order.amount)) } },
      transaction: {
        id: invoice !== null && /^\d{1,15}$/.test(invoice) ? Number(invoice) : invoice,
        external_id: billing.external_id,
        ...(order.mode === 'sandbox' ? { dry_run: 1 as const } : {}),
        payment_date: billing.payment_date,
      },
    };
  }
  return body;
}
