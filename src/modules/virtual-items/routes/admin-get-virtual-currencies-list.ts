import { defineOperation } from '../../../http/operation.js';
import { ErrorRef, pageOf } from '../../../http/schemas.js';
import { AdminListQuery, AdminVirtualCurrencyList, ProjectParams } from '../schemas.js';
import { adminViews, VIRTUAL_CURRENCY } from '../service.js';

/** GET …/admin/items/virtual_currency — a page of the project's virtual currencies. */
export default defineOperation({
  docSlug: 'admin-get-virtual-currencies-list',
  method: 'GET',
  path: '/v2/project/{project_id}/admin/items/virtual_currency',
  auth: 'basic',
  tag: 'virtual-items-currency-admin',
  summary: 'Get list of virtual currencies (admin)',
  schema: {
    params: ProjectParams,
    querystring: AdminListQuery,
    response: { 200: AdminVirtualCurrencyList, 401: ErrorRef },
  },
  handler: async (req) => {
    const { items } = req.server.services;
    const records = await items.list(req.params.project_id, VIRTUAL_CURRENCY, pageOf(req.query));
    return { items: await adminViews(items, req.params.project_id, VIRTUAL_CURRENCY, records) };
  },
});
