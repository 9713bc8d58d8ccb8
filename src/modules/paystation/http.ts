/**
 * HTTP glue of the pay station: a token names one order; the actions run through the Idempotency-Key runner in
 * one transaction and answer the order as the pay station shows it after the action.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { paystationView } from './view.js';

export type PaystationAction = 'pay' | 'fail' | 'cancel';

/** Sends the pay station view of the order `token` opens. @throws 404/9001 for an unknown or expired token. */
export async function sendPaystationOrder(request: FastifyRequest, token: string) {
  const { orders, catalog, inventory } = request.server.services;
  const ref = await orders.tokenRef(token);
  const details = await orders.details(ref.project_id, ref.order_id);
  const codes = await inventory.codesOfOrder(undefined, ref.order_id);
  return paystationView(details, await catalog.snapshot(ref.project_id), codes);
}

/**
 * Runs `action` on the order `token` opens: pay (`new → paid → done`, delivered), fail (a failed attempt is
 * recorded, the order stays `new`) or cancel (`new → canceled`).
 * @throws 404/9001 unknown or expired token; 409 when the order's status does not allow the action.
 */
export async function sendPaystationAction(
  request: FastifyRequest,
  reply: FastifyReply,
  token: string,
  action: PaystationAction,
) {
  const { orders, idempotency, inventory } = request.server.services;
  const ref = await orders.tokenRef(token);
  const snapshot = await orders.snapshot(ref.project_id);
  request.auth = { ...request.auth, projectId: ref.project_id };
  return idempotency.send(request, reply, async (ctx) => {
    if (action === 'pay') await orders.pay(ctx, ref.project_id, ref.order_id, 'paystation');
    else if (action === 'cancel') await orders.cancel(ctx, ref.project_id, ref.order_id, 'paystation');
    else
      await orders.fail(ctx, ref.project_id, ref.order_id, 'paystation', 'Payment declined in the sandbox');
    const details = await orders.details(ref.project_id, ref.order_id, ctx.trx);
    const codes = await inventory.codesOfOrder(ctx.trx, ref.order_id);
    return { status: 200, body: paystationView(details, snapshot, codes) };
  });
}
