import { sendCatalogItem } from '../../../catalog/http.js';
import { CatalogItemQuery } from '../../../catalog/schemas.js';
import { itemNotFoundBySku } from '../../../errors/app-error.js';
import { defineOperation } from '../../../http/operation.js';
import { ErrorRef } from '../../../http/schemas.js';
import { findGame } from '../catalog.js';
import { CatalogGame, ItemSkuParams } from '../schemas.js';

/** GET …/items/game/sku/{item_sku} — one game of the catalog with its sellable keys (seed F); 404/4001 otherwise. */
export default defineOperation({
  docSlug: 'get-game-by-sku',
  method: 'GET',
  path: '/v2/project/{project_id}/items/game/sku/{item_sku}',
  auth: 'user-optional',
  tag: 'game-keys-catalog',
  summary: 'Get game for catalog',
  schema: {
    params: ItemSkuParams,
    querystring: CatalogItemQuery,
    response: { 200: CatalogGame, 401: ErrorRef, 404: ErrorRef },
  },
  handler: async (req, reply) => {
    const { project_id, item_sku } = req.params;
    return sendCatalogItem(req, reply, project_id, findGame(item_sku), req.query, () =>
      itemNotFoundBySku(item_sku),
    );
  },
});
