import { sendCatalogPage } from '../../../catalog/http.js';
import { CatalogListQuery } from '../../../catalog/schemas.js';
import { defineOperation } from '../../../http/operation.js';
import { ErrorRef } from '../../../http/schemas.js';
import { gameCatalogViews } from '../catalog.js';
import { CatalogGamePage, GroupExternalIdParams } from '../schemas.js';

/** GET …/items/game/group/{external_id} — the games of a group; 404/4403 for an unknown group. */
export default defineOperation({
  docSlug: 'get-games-group',
  method: 'GET',
  path: '/v2/project/{project_id}/items/game/group/{external_id}',
  auth: 'user-optional',
  tag: 'game-keys-catalog',
  summary: 'Get games list by specified group',
  schema: {
    params: GroupExternalIdParams,
    querystring: CatalogListQuery,
    response: { 200: CatalogGamePage, 401: ErrorRef, 404: ErrorRef },
  },
  handler: async (req, reply) =>
    sendCatalogPage(
      req,
      reply,
      req.params.project_id,
      gameCatalogViews.gamesOfGroup(req.params.external_id),
      req.query,
    ),
});
