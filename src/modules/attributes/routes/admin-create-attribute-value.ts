import { defineOperation } from '../../../http/operation.js';
import { writeOptions } from '../../../http/write.js';
import { ErrorRef } from '../../../http/schemas.js';
import { AttributeParams, CreatedValue, ValueBody } from '../schemas.js';

/**
 * POST …/admin/attribute/{external_id}/value — adds a value; 201 `{external_id}`. 404/9901 unknown attribute,
 * 422/9907 value exists, 422/9908 the attribute already has 20 values.
 */
export default defineOperation({
  docSlug: 'admin-create-attribute-value',
  method: 'POST',
  path: '/v2/project/{project_id}/admin/attribute/{external_id}/value',
  auth: 'basic',
  tag: 'attribute-admin',
  summary: 'Create attribute value',
  schema: {
    params: AttributeParams,
    body: ValueBody,
    response: { 201: CreatedValue, 401: ErrorRef, 404: ErrorRef, 422: ErrorRef },
  },
  handler: async (req, reply) => {
    const { project_id, external_id } = req.params;
    await req.server.services.attributes.createValue(
      project_id,
      external_id,
      req.body,
      writeOptions(req, reply),
    );
    return reply.code(201).send({ external_id: req.body.external_id });
  },
});
