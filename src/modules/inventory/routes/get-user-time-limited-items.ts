import { defineOperation } from '../../../http/operation.js';
import { ErrorRef } from '../../../http/schemas.js';
import { PlayerQuery, ProjectParams, TimeLimitedItems } from '../schemas.js';

/**
 * GET …/user/time_limited_items — the user's time-limited items (non-renewing subscriptions), active or expired,
 * with their expiry. Xsolla Player Inventory API shape (not in the Catalog API spec).
 */
export default defineOperation({
  docSlug: 'get-user-time-limited-items',
  method: 'GET',
  path: '/v2/project/{project_id}/user/time_limited_items',
  auth: 'user',
  tag: 'inventory-client',
  summary: "Get the current user's time-limited items",
  extension: true,
  schema: {
    params: ProjectParams,
    querystring: PlayerQuery,
    response: { 200: TimeLimitedItems, 401: ErrorRef, 404: ErrorRef, 422: ErrorRef },
  },
  handler: async (req) =>
    req.server.services.inventory.listTimeLimited(
      req.params.project_id,
      req.auth.user!.userId,
      req.query.locale,
    ),
});
