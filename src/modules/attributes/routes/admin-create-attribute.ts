import { defineOperation } from '../../../http/operation.js';
import { writeOptions } from '../../../http/write.js';
import { ErrorRef } from '../../../http/schemas.js';
import { AttributeBody, CreatedAttribute, ProjectParams } from '../schemas.js';

/** POST …/admin/attribute — creates an attribute without values; 201 `{external_id}`, 422 when taken. */
export default defineOperation({
  docSlug: 'admin-create-attribute',
  method: 'POST',
  path: '/v2/project/{project_id}/admin/attribute',
  auth: 'basic',
  tag: 'attribute-admin',
  summary: 'Create attribute',
  schema: {
    params: ProjectParams,
    body: AttributeBody,
    response: { 201: CreatedAttribute, 401: ErrorRef, 422: ErrorRef },
  },
  handler: async (req, reply) => {
    await req.server.services.attributes.create(req.params.project_id, req.body, writeOptions(req, reply));
    return reply.code(201).send({ external_id: req.body.external_id });
  },
});
