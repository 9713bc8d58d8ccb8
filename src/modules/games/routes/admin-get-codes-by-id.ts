import { defineOperation } from '../../../http/operation.js';
import { ErrorRef } from '../../../http/schemas.js';
import { sendCodes } from '../http.js';
import { CodesText, ItemIdParams, RequestCodesQuery } from '../schemas.js';

/**
 * GET …/admin/items/game/key/request/id/{item_id} — hands `quantity` codes of the game key to `user_email` (they
 * are claimed like purchased codes) and returns them as text/plain, one per line; fewer when the pool runs out.
 */
export default defineOperation({
  docSlug: 'admin-get-codes-by-id',
  method: 'GET',
  path: '/v2/project/{project_id}/admin/items/game/key/request/id/{item_id}',
  auth: 'basic',
  tag: 'game-keys-admin',
  summary: 'Get codes by ID',
  schema: {
    params: ItemIdParams,
    querystring: RequestCodesQuery,
    response: { 200: CodesText, 401: ErrorRef, 404: ErrorRef, 422: ErrorRef },
  },
  handler: async (req, reply) => {
    const { user_email, quantity, reason, region_id } = req.query;
    const codes = await req.server.services.games.requestCodes(
      req.params.project_id,
      { id: req.params.item_id },
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
