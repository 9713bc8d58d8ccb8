/**
 * HTTP glue shared by the order routes: the buyer of a request, an optional body, and the `{order_id}`
 * parameter. The writes themselves are whole operations of OrdersService (one unit of work each).
 */
import type { FastifyRequest } from 'fastify';
import { buyerCountry } from '../../catalog/http.js';
import { AppError, invalid } from '../../errors/app-error.js';
import type { Buyer } from './service.js';

/** The verified user (or AuthForCart guest) of the request and the buyer's country (`COUNTRY_HEADER`). */
export function buyerOf(request: FastifyRequest): Buyer {
  const user = request.auth.user;
  if (!user) throw new AppError('AUTH_FAILED', 'Authorization failed: Authorization header not sent');
  return { user, country: buyerCountry(request, {}) };
}

/** A body the spec makes optional: `{}` when absent. @throws 422/1102 when present but not a JSON object. */
export function bodyOf<T extends object>(body: T | undefined | null): Partial<T> {
  if (body === undefined || body === null) return {};
  if (typeof body !== 'object' || Array.isArray(body)) throw invalid('', 'Must be of type object');
  return body;
}

/** `{order_id}` as a positive 32-bit integer; anything else is an order that does not exist (404/9001). */
export function orderIdOf(raw: string): number {
  const n = /^\d{1,10}$/.test(raw) ? Number(raw) : NaN;
  if (!Number.isInteger(n) || n < 1 || n > 2_147_483_647) throw new AppError('ORDER_NOT_FOUND');
  return n;
}
