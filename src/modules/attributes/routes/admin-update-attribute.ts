import { defineOperation } from '../../../http/operation.js';
import { writeOptions } from '../../../http/write.js';
import { ErrorRef, NoContent } from '../../../http/schemas.js';
import { AttributeBody, AttributeParams } from '../schemas.js';

/**
 * PUT …/admin/attribute/{external_id} — replaces the name (a different body `external_id` renames); values stay.
 * 204; 404/9901 when absent; 422/1102 when the new external id is taken.
 */
export default defineOperation({
  docSlug: 'admin-update-attribute',
  method: 'PUT',
  path: '/v2/project/{project_id}/admin/attribute/{external_id}',
  auth: 'basic',
  tag: 'attribute-admin',
  summary: 'Update attribute',
  schema: {
    params: AttributeParams,
    body: AttributeBody,
    response: { 204: NoContent, 401: ErrorRef, 404: ErrorRef, 422: ErrorRef },
  },
  handler: async (req, reply) => {
    const { project_id, external_id } = req.params;
    await req.server.services.attributes.update(project_id, external_id, req.body, writeOptions(req, reply));
    return reply.code(204).send();
  },
});
