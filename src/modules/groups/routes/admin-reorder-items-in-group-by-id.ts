import { defineOperation } from '../../../http/operation.js';
import { writeOptions } from '../../../http/write.js';
import { ErrorRef, NoContent } from '../../../http/schemas.js';
import { GroupIdParams, ItemOrderBody } from '../schemas.js';

/** PUT …/admin/group/id/{id}/order/item — as admin-reorder-items-in-group, the group by numeric id. */
export default defineOperation({
  docSlug: 'admin-reorder-items-in-group-by-id',
  method: 'PUT',
  path: '/v2/project/{project_id}/admin/group/id/{id}/order/item',
  auth: 'basic',
  tag: 'item-groups-admin',
  summary: 'Reorder items within a group (by ID)',
  description:
    'Body: `[{"item_id": 101, "order": 1}, {"sku": "saber", "order": 2}]` — sets `item_order_in_group`. Items left out keep their position; an item not in the group is 422.',
  schema: {
    params: GroupIdParams,
    body: ItemOrderBody,
    response: { 204: NoContent, 401: ErrorRef, 404: ErrorRef, 422: ErrorRef },
  },
  handler: async (req, reply) => {
    const { project_id, id } = req.params;
    await req.server.services.groups.reorderItems(
      project_id,
      { groupId: id },
      req.body,
      writeOptions(req, reply),
    );
    return reply.code(204).send();
  },
});
