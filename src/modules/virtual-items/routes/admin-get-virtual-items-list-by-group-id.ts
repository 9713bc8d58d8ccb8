import { defineOperation } from '../../../http/operation.js';
import { ErrorRef, pageOf } from '../../../http/schemas.js';
import { AdminListQuery, AdminVirtualItemList, GroupIdParams } from '../schemas.js';
import { adminViews, VIRTUAL_GOOD } from '../service.js';

/** GET …/admin/items/virtual_items/group/id/{group_id} — virtual items of a group by its numeric id. */
export default defineOperation({
  docSlug: 'admin-get-virtual-items-list-by-group-id',
  method: 'GET',
  path: '/v2/project/{project_id}/admin/items/virtual_items/group/id/{group_id}',
  auth: 'basic',
  tag: 'virtual-items-currency-admin',
  summary: 'Get list of virtual items by specified group ID (admin)',
  schema: {
    params: GroupIdParams,
    querystring: AdminListQuery,
    response: { 200: AdminVirtualItemList, 401: ErrorRef, 404: ErrorRef },
  },
  handler: async (req) => {
    const { items } = req.server.services;
    const { project_id, group_id } = req.params;
    const records = await items.list(project_id, VIRTUAL_GOOD, pageOf(req.query), { groupId: group_id });
    return { items: await adminViews(items, project_id, VIRTUAL_GOOD, records) };
  },
});
