import { defineOperation } from '../../../http/operation.js';
import { ErrorRef } from '../../../http/schemas.js';
import { sendCodes } from '../http.js';
import { CodesText, ItemSkuParams, RequestCodesQuery } from '../schemas.js';

/**
 * GET …/admin/items/game/key/request/sku/{item_sku} — hands `quantity` codes of the game key to `user_email` (they
 * are claimed like purchased codes) and returns them as text/plain, one per line; fewer when the pool runs out.
 */
export default defineOperation({
  docSlug: 'admin-get-codes-by-sku',
  method: 'GET',
  path: '/v2/project/{project_id}/admin/items/game/key/request/sku/{item_sku}',
  auth: 'basic',
  tag: 'game-keys-admin',
  summary: 'Get codes by SKU',
  schema: {
    params: ItemSkuParams,
    querystring: RequestCodesQuery,
    response: { 200: CodesText, 401: ErrorRef, 404: ErrorRef, 422: ErrorRef },
  },
  handler: async (req, reply) => {
    const { user_email, quantity, reason, region_id } = req.query;
    const codes = await req.server.services.games.requestCodes(
      req.params.project_id,
      { sku: req.params.item_sku },
      {
        userEmail: user_email,
        quantity,
        reason,
        regionId: region_id ?? null,
      },
    );
    return sendCodes(reply, codes);
  },
});
