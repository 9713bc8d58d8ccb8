/**
 * The route side of the unit of work (src/db/unit-of-work.ts): turns a request's `Idempotency-Key` header, caller
 * and body into plain `WriteOptions`. Keys are scoped per project and caller (the user's id, or `admin` for
 * basic-auth and merchant calls); the request hash covers method, path (without query) and body.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { requestHashOf, type WriteOptions } from '../db/unit-of-work.js';
import { invalid } from '../errors/app-error.js';

const KEY = /^[\x21-\x7e]{1,255}$/;

/**
 * The WriteOptions of `request`; a replay sets `Idempotent-Replayed: true` on `reply`. `opts.scope` replaces the
 * caller's scope where the route has no authenticated caller (the pay station: its token); `opts.body` replaces the
 * parsed body in the request hash where the route reads its body itself (multipart uploads: the file's content).
 * @throws 422/1102 for a malformed Idempotency-Key (not 1–255 visible ASCII characters).
 */
export function writeOptions(
  request: FastifyRequest,
  reply: FastifyReply,
  opts: { scope?: string; body?: unknown } = {},
): WriteOptions {
  const header = request.headers['idempotency-key'];
  const key = Array.isArray(header) ? header[0] : header;
  if (key === undefined) return {};
  if (!KEY.test(key)) throw invalid('Idempotency-Key', 'Must be 1–255 visible ASCII characters');
  return {
    scope: opts.scope ?? `${request.auth?.projectId ?? 0}:${request.auth?.user?.userId ?? 'admin'}`,
    idempotencyKey: key,
    requestHash: requestHashOf(request.method, request.url.split('?')[0], opts.body ?? request.body),
    onReplay: () => void reply.header('idempotent-replayed', 'true'),
  };
}
