import { defineOperation } from '../../../http/operation.js';
import { ErrorRef, pageOf } from '../../../http/schemas.js';
import { AdminListQuery, AdminVirtualCurrencyPackageList, ProjectParams } from '../schemas.js';
import { adminViews, VIRTUAL_CURRENCY_PACKAGE } from '../service.js';

/** GET …/admin/items/virtual_currency/package — a page of virtual currency packages with their content. */
export default defineOperation({
  docSlug: 'admin-get-virtual-currency-packages-list',
  method: 'GET',
  path: '/v2/project/{project_id}/admin/items/virtual_currency/package',
  auth: 'basic',
  tag: 'virtual-items-currency-admin',
  summary: 'Get list of virtual currency packages (admin)',
  schema: {
    params: ProjectParams,
    querystring: AdminListQuery,
    response: { 200: AdminVirtualCurrencyPackageList, 401: ErrorRef },
  },
  handler: async (req) => {
    const { items } = req.server.services;
    const records = await items.list(req.params.project_id, VIRTUAL_CURRENCY_PACKAGE, pageOf(req.query));
    return { items: await adminViews(items, req.params.project_id, VIRTUAL_CURRENCY_PACKAGE, records) };
  },
});
