import { defineOperation } from '../../../http/operation.js';
import { writeOptions } from '../../../http/write.js';
import { ErrorRef, NoContent, ItemSkuParams } from '../../../http/schemas.js';
import { UserLimitReset } from '../schemas.js';

/** DELETE /v2/project/{project_id}/admin/user/limit/item/sku/{item_sku}/all — Refresh an item's purchase limit of a user (or of every user) */
export default defineOperation({
  docSlug: 'reset-user-item-limit',
  method: 'DELETE',
  path: '/v2/project/{project_id}/admin/user/limit/item/sku/{item_sku}/all',
  auth: 'basic',
  tag: 'user-limits-admin',
  summary: 'Refresh the purchase limit of an item for a user (or every user)',
  schema: {
    params: ItemSkuParams,
    body: UserLimitReset,
    response: { 200: NoContent, 401: ErrorRef, 404: ErrorRef, 422: ErrorRef },
  },
  handler: async (req, reply) => {
    await req.server.services.limits.resetItem(
      req.params.project_id,
      req.params.item_sku,
      req.body.user?.user_external_id ?? null,
      writeOptions(req, reply),
    );
    return reply.code(200).send();
  },
});
