import { defineOperation } from '../../../http/operation.js';
import { writeOptions } from '../../../http/write.js';
import { ErrorRef } from '../../../http/schemas.js';
import { CreatedGroup, GroupBody, ProjectParams } from '../schemas.js';

/** POST …/admin/items/groups — creates a group; 201 `{external_id}`; 422 when the external id is taken. */
export default defineOperation({
  docSlug: 'admin-create-item-group',
  method: 'POST',
  path: '/v2/project/{project_id}/admin/items/groups',
  auth: 'basic',
  tag: 'item-groups-admin',
  summary: 'Create item group',
  description:
    'Creates an item group, nested under `parent_external_id` when given (three levels at most). Note the camelCase `iconUrl` and `isEnabled`.',
  schema: {
    params: ProjectParams,
    body: GroupBody,
    response: { 201: CreatedGroup, 401: ErrorRef, 422: ErrorRef },
  },
  handler: async (req, reply) =>
    reply
      .code(201)
      .send(
        await req.server.services.groups.create(req.params.project_id, req.body, writeOptions(req, reply)),
      ),
});
