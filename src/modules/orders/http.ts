/**
 * HTTP glue shared by the order routes: the buyer of a request, the `{order_id}` parameter, and the write
 * wrapper that reads the catalog snapshot first and then runs the work through the Idempotency-Key runner
 * (one transaction; a replay answers the first response).
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { buyerCountry } from '../../catalog/http.js';
import type { CatalogSnapshot } from '../../catalog/snapshot.js';
import { AppError, invalid } from '../../errors/app-error.js';
import type { IdempotentResult, WriteContext } from '../../http/idempotency.js';
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

/**
 * Reads the project's catalog snapshot (outside any transaction), then runs `work` through the Idempotency-Key
 * runner and sends its answer.
 */
export async function sendOrderWrite(
  request: FastifyRequest,
  reply: FastifyReply,
  projectId: number,
  work: (ctx: WriteContext, snapshot: CatalogSnapshot) => Promise<IdempotentResult>,
) {
  const { orders, idempotency } = request.server.services;
  const snapshot = await orders.snapshot(projectId);
  return idempotency.send(request, reply, (ctx) => work(ctx, snapshot));
}
