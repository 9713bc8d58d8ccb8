import { defineOperation } from '../../../http/operation.js';
import { writeOptions } from '../../../http/write.js';
import { ErrorRef, NoContent } from '../../../http/schemas.js';
import { ValueBody, ValueParams } from '../schemas.js';

/**
 * PUT …/admin/attribute/{external_id}/value/{value_external_id} — replaces the value's text (a different body
 * `external_id` renames it); items keep their link. 404/9901, 404/9906, 422/9907.
 */
export default defineOperation({
  docSlug: 'admin-update-attribute-value',
  method: 'PUT',
  path: '/v2/project/{project_id}/admin/attribute/{external_id}/value/{value_external_id}',
  auth: 'basic',
  tag: 'attribute-admin',
  summary: 'Update attribute value',
  schema: {
    params: ValueParams,
    body: ValueBody,
    response: { 204: NoContent, 401: ErrorRef, 404: ErrorRef, 422: ErrorRef },
  },
  handler: async (req, reply) => {
    const { project_id, external_id, value_external_id } = req.params;
    await req.server.services.attributes.updateValue(
      project_id,
      external_id,
      value_external_id,
      req.body,
      writeOptions(req, reply),
    );
    return reply.code(204).send();
  },
});
