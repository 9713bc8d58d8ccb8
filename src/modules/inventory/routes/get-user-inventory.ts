import { defineOperation } from '../../../http/operation.js';
import { ErrorRef, pageOf } from '../../../http/schemas.js';
import { InventoryItems, InventoryQuery, ProjectParams } from '../schemas.js';

/**
 * GET …/user/inventory/items — what the user of the JWT holds: virtual goods, then currencies with a balance;
 * 50 per page at most. Xsolla Player Inventory API shape (not in the Catalog API spec).
 */
export default defineOperation({
  docSlug: 'get-user-inventory',
  method: 'GET',
  path: '/v2/project/{project_id}/user/inventory/items',
  auth: 'user',
  tag: 'inventory-client',
  summary: "Get the current user's inventory",
  extension: true,
  schema: {
    params: ProjectParams,
    querystring: InventoryQuery,
    response: { 200: InventoryItems, 401: ErrorRef, 404: ErrorRef, 422: ErrorRef },
  },
  handler: async (req) =>
    req.server.services.inventory.listItems(req.params.project_id, req.auth.user!.userId, {
      ...pageOf(req.query),
      locale: req.query.locale,
    }),
});
