import { defineOperation } from '../../../http/operation.js';
import { writeOptions } from '../../../http/write.js';
import { ErrorRef, NoContent } from '../../../http/schemas.js';
import { EventParams, EventProjectQuery } from '../schemas.js';

/** POST /events/{event_id}/processed?project_id= — Xsolla's Event API: the event is not listed again (ADR 0031). */
export default defineOperation({
  docSlug: 'mark-event-processed',
  method: 'POST',
  path: '/events/{event_id}/processed',
  root: true,
  auth: 'user',
  tag: 'event-api',
  extension: true,
  summary: 'Mark event as processed (Xsolla Event API)',
  description:
    'The Xsolla Event API 2.0 (`https://getupdate.xsolla.com/events/{event_id}/processed`), served at the root. ' +
    "Marks one of the user's events processed: get-events no longer lists it. Repeating it is harmless (204); an " +
    'event of another user or project is 404.',
  schema: {
    params: EventParams,
    querystring: EventProjectQuery,
    response: { 204: NoContent, 401: ErrorRef, 404: ErrorRef, 422: ErrorRef },
  },
  handler: async (req, reply) => {
    await req.server.services.webhooks.markEventProcessed(
      req.auth.projectId!,
      req.auth.user!.userId,
      req.params.event_id,
      writeOptions(req, reply),
    );
    return reply.code(204).send();
  },
});
