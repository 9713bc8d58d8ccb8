import { defineOperation } from '../../../http/operation.js';
import { writeOptions } from '../../../http/write.js';
import { NoContent } from '../../../http/schemas.js';
import { BundleSkuParams, ErrorRef } from '../schemas.js';

/** DELETE …/admin/items/bundle/sku/{sku} — 204; 404/4001 when absent; 422 while another bundle contains it. */
export default defineOperation({
  docSlug: 'admin-delete-bundle',
  method: 'DELETE',
  path: '/v2/project/{project_id}/admin/items/bundle/sku/{sku}',
  auth: 'basic',
  tag: 'bundles-admin',
  summary: 'Delete bundle',
  schema: {
    params: BundleSkuParams,
    response: { 204: NoContent, 401: ErrorRef, 404: ErrorRef, 422: ErrorRef },
  },
  handler: async (req, reply) => {
    await req.server.services.bundles.remove(req.params.project_id, req.params.sku, writeOptions(req, reply));
    return reply.code(204).send();
  },
});
