import { defineOperation } from '../../../http/operation.js';
import { ErrorRef } from '../../../http/schemas.js';
import { AdminItemQuery, AdminVirtualItem, ItemSkuParams } from '../schemas.js';
import { adminView, VIRTUAL_GOOD } from '../service.js';

/** GET …/admin/items/virtual_items/sku/{item_sku} — one virtual item with every stored field. */
export default defineOperation({
  docSlug: 'admin-get-virtual-item',
  method: 'GET',
  path: '/v2/project/{project_id}/admin/items/virtual_items/sku/{item_sku}',
  auth: 'basic',
  tag: 'virtual-items-currency-admin',
  summary: 'Get virtual item (admin)',
  schema: {
    params: ItemSkuParams,
    querystring: AdminItemQuery,
    response: { 200: AdminVirtualItem, 401: ErrorRef, 404: ErrorRef },
  },
  handler: async (req) =>
    adminView(req.server.services.items, req.params.project_id, VIRTUAL_GOOD, req.params.item_sku),
});
