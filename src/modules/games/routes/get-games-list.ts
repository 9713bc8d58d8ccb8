import { sendCatalogPage } from '../../../catalog/http.js';
import { CatalogListQuery } from '../../../catalog/schemas.js';
import { defineOperation } from '../../../http/operation.js';
import { ErrorRef } from '../../../http/schemas.js';
import { gameCatalogViews } from '../catalog.js';
import { CatalogGamePage, ProjectParams } from '../schemas.js';

/** GET …/items/game — the games of the catalog with their sellable keys (`unit_items`), 50 per page at most. */
export default defineOperation({
  docSlug: 'get-games-list',
  method: 'GET',
  path: '/v2/project/{project_id}/items/game',
  auth: 'user-optional',
  tag: 'game-keys-catalog',
  summary: 'Get games list',
  schema: {
    params: ProjectParams,
    querystring: CatalogListQuery,
    response: { 200: CatalogGamePage, 401: ErrorRef, 404: ErrorRef },
  },
  handler: async (req, reply) =>
    sendCatalogPage(req, reply, req.params.project_id, gameCatalogViews.games, req.query),
});
