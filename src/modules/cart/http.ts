/**
 * HTTP glue of carts: the view options of a request (`locale`, the buyer's country — `country` query or the
 * trusted proxy header — and `currency`) and the caller of a client cart call.
 */
import type { FastifyRequest } from 'fastify';
import { buyerCountry } from '../../catalog/http.js';
import { AppError, invalid } from '../../errors/app-error.js';
import { requestLocale } from '../../lib/locale.js';
import type { UserIdentity } from '../tenancy/service.js';
import type { CartViewOptions } from './service.js';

/** View options from the query (`currency` upper-cased; unknown locale → `en`). */
export function cartOptions(
  request: FastifyRequest,
  q: { locale?: string; country?: string; currency?: string },
): CartViewOptions {
  return {
    locale: requestLocale(q.locale),
    country: buyerCountry(request, q),
    ...(q.currency ? { currency: q.currency.toUpperCase() } : {}),
  };
}

/** The caller of an AuthForCart operation (a JWT user or a guest; the auth hook guarantees one). */
export function cartUser(request: FastifyRequest): UserIdentity {
  const user = request.auth.user;
  if (!user) throw new AppError('AUTH_FAILED', 'Authorization failed: Authorization header not sent');
  return user;
}

/**
 * View options and remembered preferences of a server-side fill: its `locale` query and its body's `currency`
 * and `country` (upper-cased; the country is the buyer's for pricing).
 */
export function serverFillOptions(locale: string | undefined, body: { currency?: string; country?: string }) {
  const currency = body.currency?.toUpperCase();
  const country = body.country?.toUpperCase();
  const opts: CartViewOptions = { locale: requestLocale(locale), country: country ?? null };
  if (currency) opts.currency = currency;
  return { opts, prefs: { currency, country } };
}

/**
 * The quantity of a put-item body: its `quantity`, or 1 without a body or without the field.
 * @throws 422/1102 for a body that is not a JSON object.
 */
export function putQuantity(body: unknown): number {
  if (body === undefined || body === null) return 1;
  if (typeof body !== 'object' || Array.isArray(body)) throw invalid('', 'Must be of type object');
  return (body as { quantity?: number }).quantity ?? 1;
}
