import { defineOperation } from '../../../http/operation.js';
import { writeOptions } from '../../../http/write.js';
import { ErrorRef, ItemSkuParams } from '../../../http/schemas.js';
import { UserLimitChange, UserLimitResponse } from '../schemas.js';

/** POST /v2/project/{project_id}/admin/user/limit/item/sku/{item_sku} — Increase the user's remaining purchases of an item */
export default defineOperation({
  docSlug: 'add-user-item-limit',
  method: 'POST',
  path: '/v2/project/{project_id}/admin/user/limit/item/sku/{item_sku}',
  auth: 'basic',
  tag: 'user-limits-admin',
  summary: 'Increase the remaining purchases of an item for a user',
  schema: {
    params: ItemSkuParams,
    body: UserLimitChange,
    response: { 200: UserLimitResponse, 401: ErrorRef, 404: ErrorRef, 422: ErrorRef },
  },
  handler: async (req, reply) =>
    req.server.services.limits.addUserLimit(
      req.params.project_id,
      req.params.item_sku,
      req.body.user.user_external_id,
      req.body.available,
      writeOptions(req, reply),
    ),
});
