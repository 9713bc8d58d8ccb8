import { defineOperation } from '../../../http/operation.js';
import { ErrorRef } from '../../../http/schemas.js';
import { bodyOf } from '../http.js';
import { OrderSearchBody, OrderSearchResult, ProjectParams } from '../schemas.js';

/** POST /v3/…/admin/order/search — the project's orders created in a period, oldest first, 10 per page. */
export default defineOperation({
  docSlug: 'admin-order-search',
  method: 'POST',
  path: '/v3/project/{project_id}/admin/order/search',
  auth: 'basic',
  tag: 'order',
  summary: 'Get orders list for specified period',
  description:
    'Orders created between `created_date_from` and `created_date_until` (both inclusive, both optional), ' +
    'ascending by creation, `limit` ≤ 10 per page with `total_items_count` and `has_more`.',
  schema: {
    params: ProjectParams,
    body: OrderSearchBody,
    response: { 200: OrderSearchResult, 401: ErrorRef, 422: ErrorRef },
  },
  handler: async (req) => req.server.services.orders.search(req.params.project_id, bodyOf(req.body)),
});
