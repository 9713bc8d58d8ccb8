import { sendCatalogItem } from '../../../catalog/http.js';
import { CatalogItemQuery } from '../../../catalog/schemas.js';
import { itemNotFoundBySku } from '../../../errors/app-error.js';
import { defineOperation } from '../../../http/operation.js';
import { ErrorRef } from '../../../http/schemas.js';
import { findGameKey } from '../catalog.js';
import { CatalogGameKey, ItemSkuParams } from '../schemas.js';

/** GET …/items/game/key/sku/{item_sku} — one game key of the catalog (seed E); 404/4001 otherwise. */
export default defineOperation({
  docSlug: 'get-game-key-by-sku',
  method: 'GET',
  path: '/v2/project/{project_id}/items/game/key/sku/{item_sku}',
  auth: 'user-optional',
  tag: 'game-keys-catalog',
  summary: 'Get game key for catalog',
  schema: {
    params: ItemSkuParams,
    querystring: CatalogItemQuery,
    response: { 200: CatalogGameKey, 401: ErrorRef, 404: ErrorRef },
  },
  handler: async (req, reply) => {
    const { project_id, item_sku } = req.params;
    return sendCatalogItem(req, reply, project_id, findGameKey(item_sku), req.query, () =>
      itemNotFoundBySku(item_sku),
    );
  },
});
