import { defineOperation } from '../../../http/operation.js';
import { writeOptions } from '../../../http/write.js';
import { NoContent } from '../../../http/schemas.js';
import { BundleSkuParams, ErrorRef } from '../schemas.js';

/** PUT …/admin/items/bundle/sku/{sku}/show — Shows the bundle in the catalog (`is_show_in_store: true`); 204, 404/4001 when absent. */
export default defineOperation({
  docSlug: 'admin-show-bundle',
  method: 'PUT',
  path: '/v2/project/{project_id}/admin/items/bundle/sku/{sku}/show',
  auth: 'basic',
  tag: 'bundles-admin',
  summary: 'Show bundle in catalog',
  schema: {
    params: BundleSkuParams,
    response: { 204: NoContent, 401: ErrorRef, 404: ErrorRef },
  },
  handler: async (req, reply) => {
    await req.server.services.bundles.setShown(
      req.params.project_id,
      req.params.sku,
      true,
      writeOptions(req, reply),
    );
    return reply.code(204).send();
  },
});
