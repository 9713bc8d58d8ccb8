import { defineOperation } from '../../../http/operation.js';
import { ErrorRef, pageOf } from '../../../http/schemas.js';
import { DeliveriesQuery, DeliveryList, ProjectParams } from '../schemas.js';

/** GET …/admin/webhook/deliveries — the delivery log: webhook events, newest first, with every attempt. */
export default defineOperation({
  docSlug: 'admin-get-webhook-deliveries',
  method: 'GET',
  path: '/itemshop/v1/project/{project_id}/admin/webhook/deliveries',
  auth: 'basic',
  tag: 'common-webhooks',
  extension: true,
  summary: 'Get webhook deliveries (Itemshop extension)',
  description:
    'Order webhooks written for the project (newest first; `order_id` keeps one order) with their status ' +
    '(`pending`, `delivered`, `failed`, `discarded`) and every delivery attempt: time, HTTP status or network ' +
    'error, the start of the answer, duration, outcome.',
  schema: {
    params: ProjectParams,
    querystring: DeliveriesQuery,
    response: { 200: DeliveryList, 401: ErrorRef, 422: ErrorRef },
  },
  handler: async (req) =>
    req.server.services.webhooks.listDeliveries(req.params.project_id, {
      ...pageOf(req.query),
      orderId: req.query.order_id,
    }),
});
