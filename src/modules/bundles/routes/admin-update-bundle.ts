import { defineOperation } from '../../../http/operation.js';
import { writeOptions } from '../../../http/write.js';
import { NoContent } from '../../../http/schemas.js';
import { BundleBody, BundleSkuParams, ErrorRef } from '../schemas.js';

/** PUT …/admin/items/bundle/sku/{sku} — replaces the bundle (fields left out are removed); 204. */
export default defineOperation({
  docSlug: 'admin-update-bundle',
  method: 'PUT',
  path: '/v2/project/{project_id}/admin/items/bundle/sku/{sku}',
  auth: 'basic',
  tag: 'bundles-admin',
  summary: 'Update bundle',
  schema: {
    params: BundleSkuParams,
    body: BundleBody,
    response: { 204: NoContent, 401: ErrorRef, 404: ErrorRef, 422: ErrorRef },
  },
  handler: async (req, reply) => {
    await req.server.services.bundles.update(
      req.params.project_id,
      req.params.sku,
      req.body,
      writeOptions(req, reply),
    );
    return reply.code(204).send();
  },
});
