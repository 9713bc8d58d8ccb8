import { defineOperation } from '../../../http/operation.js';
import { writeOptions } from '../../../http/write.js';
import { ErrorRef, NoContent } from '../../../http/schemas.js';
import { CurrencySkuParams } from '../schemas.js';
import { VIRTUAL_CURRENCY } from '../service.js';

/** DELETE …/admin/items/virtual_currency/sku/{virtual_currency_sku} — 204; 422 while packages or prices use it. */
export default defineOperation({
  docSlug: 'admin-delete-virtual-currency',
  method: 'DELETE',
  path: '/v2/project/{project_id}/admin/items/virtual_currency/sku/{virtual_currency_sku}',
  auth: 'basic',
  tag: 'virtual-items-currency-admin',
  summary: 'Delete virtual currency',
  schema: {
    params: CurrencySkuParams,
    response: { 204: NoContent, 401: ErrorRef, 404: ErrorRef, 422: ErrorRef },
  },
  handler: async (req, reply) => {
    await req.server.services.items.remove(
      req.params.project_id,
      VIRTUAL_CURRENCY,
      req.params.virtual_currency_sku,
      writeOptions(req, reply),
    );
    return reply.code(204).send();
  },
});
