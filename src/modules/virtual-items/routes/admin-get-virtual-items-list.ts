import { defineOperation } from '../../../http/operation.js';
import { ErrorRef, pageOf } from '../../../http/schemas.js';
import { AdminListQuery, AdminVirtualItemList, ProjectParams } from '../schemas.js';
import { adminViews, VIRTUAL_GOOD } from '../service.js';

/** GET …/admin/items/virtual_items — a page of the project's virtual items, enabled or not. */
export default defineOperation({
  docSlug: 'admin-get-virtual-items-list',
  method: 'GET',
  path: '/v2/project/{project_id}/admin/items/virtual_items',
  auth: 'basic',
  tag: 'virtual-items-currency-admin',
  summary: 'Get list of virtual items (admin)',
  schema: {
    params: ProjectParams,
    querystring: AdminListQuery,
    response: { 200: AdminVirtualItemList, 401: ErrorRef },
  },
  handler: async (req) => {
    const { items } = req.server.services;
    const records = await items.list(req.params.project_id, VIRTUAL_GOOD, pageOf(req.query));
    return { items: await adminViews(items, req.params.project_id, VIRTUAL_GOOD, records) };
  },
});
