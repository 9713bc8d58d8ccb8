import { defineOperation } from '../../../http/operation.js';
import { writeOptions } from '../../../http/write.js';
import { ErrorRef, NoContent } from '../../../http/schemas.js';
import { ItemSkuParams, VirtualItemBody } from '../schemas.js';
import { VIRTUAL_GOOD } from '../service.js';

/** PUT …/admin/items/virtual_items/sku/{item_sku} — replaces the item (fields left out are removed); 204. */
export default defineOperation({
  docSlug: 'admin-update-virtual-item',
  method: 'PUT',
  path: '/v2/project/{project_id}/admin/items/virtual_items/sku/{item_sku}',
  auth: 'basic',
  tag: 'virtual-items-currency-admin',
  summary: 'Update virtual item',
  schema: {
    params: ItemSkuParams,
    body: VirtualItemBody,
    response: { 204: NoContent, 401: ErrorRef, 404: ErrorRef, 422: ErrorRef },
  },
  handler: async (req, reply) => {
    await req.server.services.items.update(
      req.params.project_id,
      VIRTUAL_GOOD,
      req.params.item_sku,
      req.body,
      writeOptions(req, reply),
    );
    return reply.code(204).send();
  },
});
