import { defineOperation } from '../../../http/operation.js';
import { ErrorRef } from '../../../http/schemas.js';
import { AdminGame, AdminGameQuery, ItemIdParams } from '../schemas.js';

/** GET …/admin/items/game/id/{item_id} — one game with its keys and their code counters; 404/4001 otherwise. */
export default defineOperation({
  docSlug: 'admin-get-game-by-id',
  method: 'GET',
  path: '/v2/project/{project_id}/admin/items/game/id/{item_id}',
  auth: 'basic',
  tag: 'game-keys-admin',
  summary: 'Get game by ID (admin)',
  schema: {
    params: ItemIdParams,
    querystring: AdminGameQuery,
    response: { 200: AdminGame, 401: ErrorRef, 404: ErrorRef },
  },
  handler: async (req) => req.server.services.games.get(req.params.project_id, { id: req.params.item_id }),
});
