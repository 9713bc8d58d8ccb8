/**
 * The order of a client-side payment token (`POST /v2/project/{project_id}/payment`, create-payment-token — the
 * call of the Android and Unity SDKs, in neither the seeds nor the July spec): its lines are what the body
 * describes, not catalog items. Pure: body in, order money and lines out (docs/decisions/0024-client-payment-token.md).
 *
 * - `purchase.items[]` (`name`, `price.amount`, `quantity`, `is_bonus`…): one line each — sku = the item's `sku`
 *   or `name`, unit price = `price.amount`, a bonus item is free;
 * - else `purchase.description.value`: one line of that name for the checkout amount;
 * - else one line `payment` for the checkout amount.
 * The order's total is `purchase.checkout.amount` when given (what the buyer is asked to pay), else the sum of
 * the lines; its currency is `checkout.currency`, else `settings.currency`, else the items' price currency.
 * Amounts are decimal strings with 4 places (numbers or numeric strings in; the SDKs send floats and strings).
 */
import { Decimal } from 'decimal.js';
import { invalid } from '../../errors/app-error.js';
import type { NewOrderLine } from './repository.js';

/** Sku and type of the lines of such an order: they name no catalog item (item_id 0) and are never delivered. */
export const PAYMENT_LINE_TYPE = 'custom';
const DEFAULT_LINE_SKU = 'payment';
const MAX_AMOUNT = new Decimal('1e12');

/** A price as the SDKs send it: a number (Android `Double`, Unity `float`) or a numeric string (Unity items). */
export type LooseAmount = number | string;

/** Body of create-payment-token (shapes of the Android and Unity request models; unknown keys ignored). */
export interface PaymentTokenRequest {
  purchase: {
    checkout?: { amount?: LooseAmount | null; currency?: string | null } | null;
    items?:
      | {
          sku?: string | null;
          name?: string | null;
          price?: {
            amount?: LooseAmount | null;
            amount_without_discount?: LooseAmount | null;
            amount_before_discount?: LooseAmount | null;
            currency?: string | null;
          } | null;
          quantity?: number | null;
          is_bonus?: boolean | null;
        }[]
      | null;
    description?: { value?: string | null } | null;
  };
  settings?: (Record<string, unknown> & { currency?: string | null; sandbox?: boolean | null }) | null;
  custom_parameters?: Record<string, unknown> | null;
  sandbox?: boolean | null;
}

/** What the order of such a body is made of. */
export interface PaymentOrderDraft {
  currency: string;
  /** Order total, 4 decimals. */
  amount: string;
  amount_without_discount: string;
  lines: NewOrderLine[];
  sandbox: boolean;
}

/**
 * `raw` as a non-negative decimal with 4 places, or undefined when absent.
 * @throws 422/1102 naming `property` when it is not a number or is out of range
 */
function amountOf(raw: LooseAmount | null | undefined, property: string): Decimal | undefined {
  if (raw === null || raw === undefined || raw === '') return undefined;
  const ok =
    (typeof raw === 'number' && Number.isFinite(raw)) ||
    (typeof raw === 'string' && /^\s*\d{1,13}(\.\d+)?\s*$/.test(raw));
  const value = ok ? new Decimal(String(raw).trim()) : undefined;
  if (!value || value.isNegative() || value.greaterThan(MAX_AMOUNT))
    throw invalid(property, 'Must be a non-negative amount (a number or a decimal string)');
  return value.toDecimalPlaces(4, Decimal.ROUND_HALF_UP);
}

const lineSku = (raw: string | null | undefined, fallback: string) => {
  const s = typeof raw === 'string' ? raw.trim().slice(0, 255) : '';
  return s === '' ? fallback : s;
};

/**
 * The currency, total and lines of the order a create-payment-token body describes.
 * @throws 422/1102 when no currency is given (`purchase.checkout.currency`), an amount is not a number, or the
 *   total is not positive (`purchase.checkout.amount`)
 */
export function paymentOrderDraft(body: PaymentTokenRequest): PaymentOrderDraft {
  const { purchase } = body;
  const checkout = purchase.checkout ?? undefined;
  const items = purchase.items ?? [];
  const total = amountOf(checkout?.amount, 'purchase.checkout.amount');
  const currency = [checkout?.currency, body.settings?.currency, ...items.map((i) => i.price?.currency)].find(
    (c): c is string => typeof c === 'string' && /^[A-Za-z]{3}$/.test(c),
  );
  if (!currency) {
    throw invalid(
      'purchase.checkout.currency',
      'The currency of the purchase must be given (purchase.checkout.currency or settings.currency)',
    );
  }

  let lines: NewOrderLine[];
  if (items.length > 0) {
    lines = items.map((item, i) => {
      const at = `purchase.items[${i}]`;
      const free = item.is_bonus === true;
      const unit = free
        ? new Decimal(0)
        : (amountOf(item.price?.amount, `${at}.price.amount`) ?? new Decimal(0));
      const before =
        amountOf(item.price?.amount_without_discount, `${at}.price.amount_without_discount`) ??
        amountOf(item.price?.amount_before_discount, `${at}.price.amount_before_discount`) ??
        unit;
      const quantity = item.quantity ?? 1;
      if (!Number.isSafeInteger(quantity) || quantity < 1 || quantity > 1_000_000)
        throw invalid(`${at}.quantity`, 'Must be an integer from 1 to 1000000');
      return {
        item_id: 0,
        sku: lineSku(item.sku ?? item.name, `item_${i + 1}`),
        type: PAYMENT_LINE_TYPE,
        quantity,
        amount: unit.toFixed(4),
        amount_without_discount: (free ? unit : Decimal.max(before, unit)).toFixed(4),
        is_free: free,
      };
    });
  } else {
    const amount = (total ?? new Decimal(0)).toFixed(4);
    lines = [
      {
        item_id: 0,
        sku: lineSku(purchase.description?.value, DEFAULT_LINE_SKU),
        type: PAYMENT_LINE_TYPE,
        quantity: 1,
        amount,
        amount_without_discount: amount,
        is_free: false,
      },
    ];
  }

  const sum = (key: 'amount' | 'amount_without_discount') =>
    lines.reduce((acc, l) => acc.plus(new Decimal(l[key]).times(l.quantity)), new Decimal(0));
  const amount = total ?? sum('amount');
  if (!amount.greaterThan(0))
    throw invalid('purchase.checkout.amount', 'The amount to pay must be greater than 0');
  const withoutDiscount = Decimal.max(amount, items.length > 0 ? sum('amount_without_discount') : amount);
  return {
    currency: currency.toUpperCase(),
    amount: amount.toFixed(4),
    amount_without_discount: withoutDiscount.toFixed(4),
    lines,
    sandbox: body.settings?.sandbox === true || body.sandbox === true,
  };
}
