import { defineOperation } from '../../../http/operation.js';
import { ErrorRef } from '../../../http/schemas.js';
import { ProjectParams, WebhookSettings } from '../schemas.js';

/** GET …/admin/webhook — the project's webhook settings; 404 until they were set. */
export default defineOperation({
  docSlug: 'get-webhook',
  method: 'GET',
  path: '/v2/project/{project_id}/admin/webhook',
  auth: 'basic',
  tag: 'common-webhooks',
  summary: 'Get information about webhook settings',
  description: 'URL, secret key, whether order webhooks are sent, and their format version.',
  schema: { params: ProjectParams, response: { 200: WebhookSettings, 401: ErrorRef, 404: ErrorRef } },
  handler: async (req) => req.server.services.webhooks.getSettings(req.params.project_id),
});
