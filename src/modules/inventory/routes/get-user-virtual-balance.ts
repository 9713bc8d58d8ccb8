import { defineOperation } from '../../../http/operation.js';
import { ErrorRef } from '../../../http/schemas.js';
import { PlayerQuery, ProjectParams, VirtualBalance } from '../schemas.js';

/**
 * GET …/user/virtual_currency_balance — the user's balance of every virtual currency of the project (0 when
 * never credited). Xsolla Player Inventory API shape (not in the Catalog API spec).
 */
export default defineOperation({
  docSlug: 'get-user-virtual-balance',
  method: 'GET',
  path: '/v2/project/{project_id}/user/virtual_currency_balance',
  auth: 'user',
  tag: 'inventory-client',
  summary: "Get the current user's virtual balance",
  extension: true,
  schema: {
    params: ProjectParams,
    querystring: PlayerQuery,
    response: { 200: VirtualBalance, 401: ErrorRef, 404: ErrorRef, 422: ErrorRef },
  },
  handler: async (req) =>
    req.server.services.inventory.listBalances(
      req.params.project_id,
      req.auth.user!.userId,
      req.query.locale,
    ),
});
