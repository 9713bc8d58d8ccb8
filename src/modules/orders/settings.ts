/**
 * The payment `settings` an order is created with (create-order, create-order-by-cart-id, create-order-with-item,
 * the free variants, admin-create-payment-token, create-payment-token): kept on the order as sent, unknown keys
 * included, and read back here — the merchant's transaction id (`external_id`) and where the pay station returns
 * the buyer (`return_url`). Rules: docs/decisions/0020-payment-settings.md.
 */
import { invalid } from '../../errors/app-error.js';

/** Stored settings of an order (`orders.settings`, jsonb), or null. */
export type PaymentSettingsValue = Record<string, unknown> | null | undefined;

/** `scheme:` then at least one character, RFC 3986 §3.1 (`app://xpayment.com.example`, `https://…`). */
const ABSOLUTE_URI = /^[A-Za-z][A-Za-z0-9+.-]*:\S+$/;
/** Schemes that run code in the page that follows them: never a place to send a buyer. */
const SCRIPT_SCHEMES = new Set(['javascript:', 'vbscript:', 'data:']);

/**
 * The absolute URI `raw` as a URL, or null when it is not one (or names a script scheme). App schemes such as
 * `app://xpayment.com.example` and `xsollasdk123456://xsollaconfirm/payment` are absolute URIs.
 */
export function absoluteUri(raw: string): URL | null {
  if (raw.length > 1000 || !ABSOLUTE_URI.test(raw)) return null;
  try {
    const url = new URL(raw);
    return SCRIPT_SCHEMES.has(url.protocol.toLowerCase()) ? null : url;
  } catch {
    return null;
  }
}

/**
 * Checks the settings of a new order and returns what to store: the object as sent (unknown keys kept), or null.
 * @throws 422/1102 on `settings.return_url` when it is present and not an absolute URI (or a `javascript:`,
 *   `vbscript:` or `data:` one)
 */
export function checkedSettings(settings: PaymentSettingsValue): Record<string, unknown> | null {
  if (settings === null || settings === undefined) return null;
  const raw = settings.return_url;
  if (typeof raw === 'string' && raw !== '' && !absoluteUri(raw)) {
    throw invalid(
      'settings.return_url',
      'Must be an absolute URI, e.g. https://example.com/return or app://xpayment.com.example',
    );
  }
  return settings;
}

/** `settings.external_id`: the merchant's own transaction id, or null when none was sent (or it is empty). */
export function externalIdOf(settings: PaymentSettingsValue): string | null {
  const v = settings?.external_id;
  return typeof v === 'string' && v.trim() !== '' ? v : null;
}

/** `settings.return_url` as a URL, or null when none was sent (or it is not a usable absolute URI). */
export function returnUrlOf(settings: PaymentSettingsValue): URL | null {
  const v = settings?.return_url;
  return typeof v === 'string' && v !== '' ? absoluteUri(v) : null;
}

/**
 * `settings.redirect_policy.redirect_conditions`: after which outcomes the payment UI sends the buyer back by
 * itself — `none`, `successful`, `successful_or_canceled` or `any`; null when the order has no redirect policy.
 */
export function redirectConditionsOf(settings: PaymentSettingsValue): string | null {
  const policy = settings?.redirect_policy;
  if (!policy || typeof policy !== 'object') return null;
  const v = (policy as Record<string, unknown>).redirect_conditions;
  return typeof v === 'string' ? v : null;
}

/** `settings.redirect_policy.delay`: seconds before the automatic return (0 when unset or not a number ≥ 0). */
export function redirectDelayOf(settings: PaymentSettingsValue): number {
  const policy = settings?.redirect_policy;
  if (!policy || typeof policy !== 'object') return 0;
  const v = (policy as Record<string, unknown>).delay;
  return typeof v === 'number' && Number.isFinite(v) && v > 0 ? Math.min(v, 3600) : 0;
}
