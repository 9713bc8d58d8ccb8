import { defineOperation } from '../../../http/operation.js';
import { ErrorRef } from '../../../http/schemas.js';
import { AdminGroupByTypeList, ItemTypeParams } from '../schemas.js';

/** GET …/admin/items/{item_type}/groups — every group, `items_count` counting only items of `item_type`. */
export default defineOperation({
  docSlug: 'admin-get-item-group-list-by-item-type',
  method: 'GET',
  path: '/v2/project/{project_id}/admin/items/{item_type}/groups',
  auth: 'basic',
  tag: 'item-groups-admin',
  summary: 'Get item group list filtered by item type (admin)',
  description:
    '`item_type`: virtual_items, virtual_currency, virtual_currency%2Fpackage, bundle, game, game%2Fkey, value_points, subscription_plans.',
  schema: { params: ItemTypeParams, response: { 200: AdminGroupByTypeList, 401: ErrorRef, 422: ErrorRef } },
  handler: async (req) => ({
    groups: await req.server.services.groups.list(req.params.project_id, req.params.item_type),
  }),
});
