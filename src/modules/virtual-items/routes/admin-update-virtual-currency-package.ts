import { defineOperation } from '../../../http/operation.js';
import { writeOptions } from '../../../http/write.js';
import { ErrorRef, NoContent } from '../../../http/schemas.js';
import { AdminItemQuery, ItemSkuParams, VirtualCurrencyPackageBody } from '../schemas.js';
import { VIRTUAL_CURRENCY_PACKAGE } from '../service.js';

/** PUT …/admin/items/virtual_currency/package/sku/{item_sku} — replaces the package; 204. */
export default defineOperation({
  docSlug: 'admin-update-virtual-currency-package',
  method: 'PUT',
  path: '/v2/project/{project_id}/admin/items/virtual_currency/package/sku/{item_sku}',
  auth: 'basic',
  tag: 'virtual-items-currency-admin',
  summary: 'Update virtual currency package',
  schema: {
    params: ItemSkuParams,
    querystring: AdminItemQuery,
    body: VirtualCurrencyPackageBody,
    response: { 204: NoContent, 401: ErrorRef, 404: ErrorRef, 422: ErrorRef },
  },
  handler: async (req, reply) => {
    await req.server.services.items.update(
      req.params.project_id,
      VIRTUAL_CURRENCY_PACKAGE,
      req.params.item_sku,
      req.body,
      writeOptions(req, reply),
    );
    return reply.code(204).send();
  },
});
