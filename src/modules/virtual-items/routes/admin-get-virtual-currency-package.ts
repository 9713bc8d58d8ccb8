import { defineOperation } from '../../../http/operation.js';
import { ErrorRef } from '../../../http/schemas.js';
import { AdminItemQuery, AdminVirtualCurrencyPackage, ItemSkuParams } from '../schemas.js';
import { adminView, VIRTUAL_CURRENCY_PACKAGE } from '../service.js';

/** GET …/admin/items/virtual_currency/package/sku/{item_sku} — one package with its content. */
export default defineOperation({
  docSlug: 'admin-get-virtual-currency-package',
  method: 'GET',
  path: '/v2/project/{project_id}/admin/items/virtual_currency/package/sku/{item_sku}',
  auth: 'basic',
  tag: 'virtual-items-currency-admin',
  summary: 'Get virtual currency package (admin)',
  schema: {
    params: ItemSkuParams,
    querystring: AdminItemQuery,
    response: { 200: AdminVirtualCurrencyPackage, 401: ErrorRef, 404: ErrorRef },
  },
  handler: async (req) =>
    adminView(
      req.server.services.items,
      req.params.project_id,
      VIRTUAL_CURRENCY_PACKAGE,
      req.params.item_sku,
    ),
});
