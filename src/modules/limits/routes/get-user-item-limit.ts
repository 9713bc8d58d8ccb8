import { defineOperation } from '../../../http/operation.js';
import { ErrorRef, ItemSkuParams } from '../../../http/schemas.js';
import { UserLimitQuery, UserLimitResponse } from '../schemas.js';

/** GET …/v2/project/{project_id}/admin/user/limit/item/sku/{item_sku} — Get the user's remaining purchases of an item */
export default defineOperation({
  docSlug: 'get-user-item-limit',
  method: 'GET',
  path: '/v2/project/{project_id}/admin/user/limit/item/sku/{item_sku}',
  auth: 'basic',
  tag: 'user-limits-admin',
  summary: 'Get the remaining purchases of an item for a user',
  schema: {
    params: ItemSkuParams,
    querystring: UserLimitQuery,
    response: { 200: UserLimitResponse, 401: ErrorRef, 404: ErrorRef, 422: ErrorRef },
  },
  handler: async (req) =>
    req.server.services.limits.getUserLimit(
      req.params.project_id,
      req.params.item_sku,
      req.query.user_external_id,
    ),
});
