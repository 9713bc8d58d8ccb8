import { defineOperation } from '../../../http/operation.js';
import { writeOptions } from '../../../http/write.js';
import { ErrorRef } from '../../../http/schemas.js';
import { OperationsBody, OperationsResult, ProjectParams } from '../schemas.js';

/**
 * POST …/inventory/revoke — the game server takes virtual goods and currencies back from users (the first 50
 * operations), all or nothing; 200 with each item's balance after it. 404/4001 when a user holds fewer than asked
 * or the sku is unknown. Honours Idempotency-Key. Xsolla Player Inventory API shape (not in the Catalog API spec).
 */
export default defineOperation({
  docSlug: 'revoke-item',
  method: 'POST',
  path: '/v2/project/{project_id}/inventory/revoke',
  auth: 'basic',
  tag: 'inventory-management',
  summary: 'Revoke inventory items',
  extension: true,
  schema: {
    params: ProjectParams,
    body: OperationsBody,
    response: { 200: OperationsResult, 401: ErrorRef, 404: ErrorRef, 409: ErrorRef, 422: ErrorRef },
  },
  handler: async (req, reply) =>
    req.server.services.inventory.revokeItems(req.params.project_id, req.body, writeOptions(req, reply)),
});
