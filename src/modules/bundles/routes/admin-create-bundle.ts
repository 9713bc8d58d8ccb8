import { defineOperation } from '../../../http/operation.js';
import { writeOptions } from '../../../http/write.js';
import { CreatedSku } from '../../items/schemas.js';
import { BundleBody, ErrorRef, ProjectParams } from '../schemas.js';

/** POST …/admin/items/bundle — creates a standard bundle; 201 `{sku}`. */
export default defineOperation({
  docSlug: 'admin-create-bundle',
  method: 'POST',
  path: '/v2/project/{project_id}/admin/items/bundle',
  auth: 'basic',
  tag: 'bundles-admin',
  summary: 'Create bundle',
  schema: {
    params: ProjectParams,
    body: BundleBody,
    response: { 201: CreatedSku, 401: ErrorRef, 404: ErrorRef, 422: ErrorRef },
  },
  handler: async (req, reply) => {
    const created = await req.server.services.bundles.create(
      req.params.project_id,
      req.body,
      writeOptions(req, reply),
    );
    return reply.code(201).send(created);
  },
});
