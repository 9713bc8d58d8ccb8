import { defineOperation } from '../../../http/operation.js';
import { ErrorRef, pageOf } from '../../../http/schemas.js';
import { AdminGameList, AdminGameListQuery, ProjectParams } from '../schemas.js';

/** GET …/admin/items/game — a page of the project's games with their keys, enabled or not (seed J). */
export default defineOperation({
  docSlug: 'admin-get-game-list',
  method: 'GET',
  path: '/v2/project/{project_id}/admin/items/game',
  auth: 'basic',
  tag: 'game-keys-admin',
  summary: 'Get list of games (admin)',
  schema: {
    params: ProjectParams,
    querystring: AdminGameListQuery,
    response: { 200: AdminGameList, 401: ErrorRef },
  },
  handler: async (req) => ({
    items: await req.server.services.games.list(req.params.project_id, pageOf(req.query)),
  }),
});
