import { defineOperation } from '../../../http/operation.js';
import { ErrorRef } from '../../../http/schemas.js';
import { EventList, EventsQuery } from '../schemas.js';

/**
 * GET /events?project_id= — Xsolla's Event API (getupdate.xsolla.com), served at the root: the user's unprocessed
 * order events, from the webhook outbox (ADR 0031).
 */
export default defineOperation({
  docSlug: 'get-events',
  method: 'GET',
  path: '/events',
  root: true,
  auth: 'user',
  tag: 'event-api',
  extension: true,
  summary: 'Get unprocessed event list for user (Xsolla Event API)',
  description:
    'The Xsolla Event API 2.0 (`https://getupdate.xsolla.com/events`, used by the Unity SDK to track orders ' +
    'without a server), served at the root of Itemshop so that pointing that host here keeps the path. Lists the ' +
    "user's (JWT `sub`) unprocessed `order_paid` and `order_canceled` events of the project, oldest first, at most " +
    '100: `data` is the webhook body (also for projects without a webhook) plus `settings`.',
  schema: {
    querystring: EventsQuery,
    response: { 200: EventList, 401: ErrorRef, 404: ErrorRef, 422: ErrorRef },
  },
  handler: async (req) =>
    req.server.services.webhooks.userEvents(req.auth.project!, req.auth.user!.userId, {
      afterId: req.query.after_id,
      types: req.query.types,
    }),
});
