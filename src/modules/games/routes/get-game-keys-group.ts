import { sendCatalogPage } from '../../../catalog/http.js';
import { CatalogListQuery } from '../../../catalog/schemas.js';
import { defineOperation } from '../../../http/operation.js';
import { ErrorRef } from '../../../http/schemas.js';
import { gameCatalogViews } from '../catalog.js';
import { CatalogGameKeyPage, GroupExternalIdParams } from '../schemas.js';

/** GET …/items/game/key/group/{external_id} — the game keys of a group (seed D); 404/4403 for an unknown group. */
export default defineOperation({
  docSlug: 'get-game-keys-group',
  method: 'GET',
  path: '/v2/project/{project_id}/items/game/key/group/{external_id}',
  auth: 'user-optional',
  tag: 'game-keys-catalog',
  summary: 'Get game keys list by specified group',
  schema: {
    params: GroupExternalIdParams,
    querystring: CatalogListQuery,
    response: { 200: CatalogGameKeyPage, 401: ErrorRef, 404: ErrorRef },
  },
  handler: async (req, reply) =>
    sendCatalogPage(
      req,
      reply,
      req.params.project_id,
      gameCatalogViews.keysOfGroup(req.params.external_id),
      req.query,
    ),
});
