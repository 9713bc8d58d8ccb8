import { defineOperation } from '../../../http/operation.js';
import { writeOptions } from '../../../http/write.js';
import { ErrorRef, NoContent } from '../../../http/schemas.js';
import { CurrencySkuParams, VirtualCurrencyBody } from '../schemas.js';
import { VIRTUAL_CURRENCY } from '../service.js';

/** PUT …/admin/items/virtual_currency/sku/{virtual_currency_sku} — replaces the currency; 204 (seed A). */
export default defineOperation({
  docSlug: 'admin-update-virtual-currency',
  method: 'PUT',
  path: '/v2/project/{project_id}/admin/items/virtual_currency/sku/{virtual_currency_sku}',
  auth: 'basic',
  tag: 'virtual-items-currency-admin',
  summary: 'Update virtual currency',
  schema: {
    params: CurrencySkuParams,
    body: VirtualCurrencyBody,
    response: { 204: NoContent, 401: ErrorRef, 404: ErrorRef, 422: ErrorRef },
  },
  handler: async (req, reply) => {
    await req.server.services.items.update(
      req.params.project_id,
      VIRTUAL_CURRENCY,
      req.params.virtual_currency_sku,
      req.body,
      writeOptions(req, reply),
    );
    return reply.code(204).send();
  },
});
