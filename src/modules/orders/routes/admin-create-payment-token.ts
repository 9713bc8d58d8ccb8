import { defineOperation } from '../../../http/operation.js';
import { writeOptions } from '../../../http/write.js';
import { ErrorRef } from '../../../http/schemas.js';
import { ProjectParams, ServerToken, ServerTokenBody, ServerTokenHeaders } from '../schemas.js';

/** POST /v3/…/admin/payment/token — server side: an order for the described user and its payment token. */
export default defineOperation({
  docSlug: 'admin-create-payment-token',
  method: 'POST',
  path: '/v3/project/{project_id}/admin/payment/token',
  auth: 'basic',
  tag: 'payment-server-side',
  summary: 'Create payment token for purchase',
  description:
    'Creates an order (status `new`) of the listed items for `user.id.value` and returns a payment token. ' +
    '`user.country.value` or the `X-User-Ip` header is required (422/1102); 422/1421 for a free item, ' +
    '422/1401 for an unknown or unbuyable sku or items priced in different currencies.',
  schema: {
    params: ProjectParams,
    headers: ServerTokenHeaders,
    body: ServerTokenBody,
    response: { 201: ServerToken, 401: ErrorRef, 409: ErrorRef, 422: ErrorRef },
  },
  handler: async (req, reply) => {
    const r = await req.server.services.orders.createForServer(
      req.params.project_id,
      req.body,
      req.headers['x-user-ip'],
      writeOptions(req, reply),
    );
    return reply.code(201).send({ token: r.token, order_id: r.order_id });
  },
});
