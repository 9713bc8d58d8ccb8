import { defineOperation } from '../../../http/operation.js';
import { ErrorRef } from '../../../http/schemas.js';
import { AdminGroupByType, ItemTypeGroupParams } from '../schemas.js';

/** GET …/admin/items/{item_type}/groups/{external_id} — one group counting only items of `item_type`. */
export default defineOperation({
  docSlug: 'admin-get-item-group-by-item-type',
  method: 'GET',
  path: '/v2/project/{project_id}/admin/items/{item_type}/groups/{external_id}',
  auth: 'basic',
  tag: 'item-groups-admin',
  summary: 'Get item group by external ID filtered by item type (admin)',
  schema: {
    params: ItemTypeGroupParams,
    response: { 200: AdminGroupByType, 401: ErrorRef, 404: ErrorRef, 422: ErrorRef },
  },
  handler: async (req) => {
    const { project_id, external_id, item_type } = req.params;
    return req.server.services.groups.get(project_id, external_id, item_type);
  },
});
