import { defineOperation } from '../../../http/operation.js';
import { writeOptions } from '../../../http/write.js';
import { ErrorRef, NoContent } from '../../../http/schemas.js';
import { ProjectParams, WebhookSettingsBody } from '../schemas.js';

/** PUT …/admin/webhook — sets (creates or replaces) the webhook settings; 204; 422 on an empty or invalid URL. */
export default defineOperation({
  docSlug: 'update-webhook',
  method: 'PUT',
  path: '/v2/project/{project_id}/admin/webhook',
  auth: 'basic',
  tag: 'common-webhooks',
  summary: 'Update information about webhook settings',
  description:
    'Body: `{"url": "https://game.example.com/webhook", "secret": "my_secret", "is_enabled": true, "version": 2}`. ' +
    'Order webhooks are POSTed to `url` with `Authorization: Signature <sha1(body + secret)>`. Accepts `Idempotency-Key`.',
  schema: {
    params: ProjectParams,
    body: WebhookSettingsBody,
    response: { 204: NoContent, 401: ErrorRef, 422: ErrorRef },
  },
  handler: async (req, reply) => {
    await req.server.services.webhooks.updateSettings(
      req.params.project_id,
      req.body,
      writeOptions(req, reply),
    );
    return reply.code(204).send();
  },
});
