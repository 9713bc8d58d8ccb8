import { defineOperation } from '../../../http/operation.js';
import { writeOptions } from '../../../http/write.js';
import { ErrorRef, NoContent } from '../../../http/schemas.js';
import { ItemSkuParams } from '../schemas.js';
import { VIRTUAL_GOOD } from '../service.js';

/** DELETE …/admin/items/virtual_items/sku/{item_sku} — 204; 404/4001 when absent. */
export default defineOperation({
  docSlug: 'admin-delete-virtual-item',
  method: 'DELETE',
  path: '/v2/project/{project_id}/admin/items/virtual_items/sku/{item_sku}',
  auth: 'basic',
  tag: 'virtual-items-currency-admin',
  summary: 'Delete virtual item',
  schema: {
    params: ItemSkuParams,
    response: { 204: NoContent, 401: ErrorRef, 404: ErrorRef, 422: ErrorRef },
  },
  handler: async (req, reply) => {
    await req.server.services.items.remove(
      req.params.project_id,
      VIRTUAL_GOOD,
      req.params.item_sku,
      writeOptions(req, reply),
    );
    return reply.code(204).send();
  },
});
