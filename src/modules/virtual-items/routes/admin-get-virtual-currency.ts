import { defineOperation } from '../../../http/operation.js';
import { ErrorRef } from '../../../http/schemas.js';
import { AdminItemQuery, AdminVirtualCurrency, CurrencySkuParams } from '../schemas.js';
import { adminView, VIRTUAL_CURRENCY } from '../service.js';

/** GET …/admin/items/virtual_currency/sku/{virtual_currency_sku} — one virtual currency. */
export default defineOperation({
  docSlug: 'admin-get-virtual-currency',
  method: 'GET',
  path: '/v2/project/{project_id}/admin/items/virtual_currency/sku/{virtual_currency_sku}',
  auth: 'basic',
  tag: 'virtual-items-currency-admin',
  summary: 'Get virtual currency (admin)',
  schema: {
    params: CurrencySkuParams,
    querystring: AdminItemQuery,
    response: { 200: AdminVirtualCurrency, 401: ErrorRef, 404: ErrorRef },
  },
  handler: async (req) =>
    adminView(
      req.server.services.items,
      req.params.project_id,
      VIRTUAL_CURRENCY,
      req.params.virtual_currency_sku,
    ),
});
