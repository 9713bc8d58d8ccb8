import { defineOperation } from '../../../http/operation.js';
import { writeOptions } from '../../../http/write.js';
import { ErrorRef } from '../../../http/schemas.js';
import { OperationsBody, OperationsResult, ProjectParams } from '../schemas.js';

/**
 * POST …/inventory/reward — the game server grants virtual goods and currencies to users (the first 50
 * operations), all or nothing; 200 with each item's balance after the grant. 404/4001 for a sku that is not a
 * virtual good or currency. Honours Idempotency-Key. Xsolla Player Inventory API shape (not in the Catalog API
 * spec).
 */
export default defineOperation({
  docSlug: 'add-item-to-inventory',
  method: 'POST',
  path: '/v2/project/{project_id}/inventory/reward',
  auth: 'basic',
  tag: 'inventory-management',
  summary: 'Grant items to users',
  extension: true,
  schema: {
    params: ProjectParams,
    body: OperationsBody,
    response: { 200: OperationsResult, 401: ErrorRef, 404: ErrorRef, 409: ErrorRef, 422: ErrorRef },
  },
  handler: async (req, reply) =>
    req.server.services.inventory.reward(req.params.project_id, req.body, writeOptions(req, reply)),
});
