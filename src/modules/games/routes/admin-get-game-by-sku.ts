import { defineOperation } from '../../../http/operation.js';
import { ErrorRef } from '../../../http/schemas.js';
import { AdminGame, AdminGameQuery, ItemSkuParams } from '../schemas.js';

/** GET …/admin/items/game/sku/{item_sku} — one game with its keys and their code counters; 404/4001 otherwise. */
export default defineOperation({
  docSlug: 'admin-get-game-by-sku',
  method: 'GET',
  path: '/v2/project/{project_id}/admin/items/game/sku/{item_sku}',
  auth: 'basic',
  tag: 'game-keys-admin',
  summary: 'Get game by SKU (admin)',
  schema: {
    params: ItemSkuParams,
    querystring: AdminGameQuery,
    response: { 200: AdminGame, 401: ErrorRef, 404: ErrorRef },
  },
  handler: async (req) => req.server.services.games.get(req.params.project_id, { sku: req.params.item_sku }),
});
