import { defineOperation } from '../../../http/operation.js';
import { ErrorRef } from '../../../http/schemas.js';
import { ImportStatusView, ProjectParams } from '../schemas.js';

/** GET /v1/admin/projects/{project_id}/connectors/import_items/import/status — the project's latest import. */
export default defineOperation({
  docSlug: 'get-items-import-status',
  method: 'GET',
  path: '/v1/admin/projects/{project_id}/connectors/import_items/import/status',
  auth: 'basic',
  tag: 'connector-admin',
  summary: 'Get status of items import',
  description: 'Progress and per-entry errors of the latest import of the project; 404 when it has none.',
  schema: {
    params: ProjectParams,
    response: { 200: ImportStatusView, 401: ErrorRef, 404: ErrorRef },
  },
  handler: async (req) => req.server.services.imports.status(req.params.project_id),
});
