import { defineOperation } from '../../../http/operation.js';
import { ErrorRef } from '../../../http/schemas.js';
import { ImportBody, ImportCreated, ProjectParams } from '../schemas.js';

/**
 * POST /v1/projects/{project_id}/import/from_external_file — fetches the JSON file at `file_url` (422 when it
 * cannot be read or is no import file) and imports its items in the background; answers 201 with the import id.
 */
export default defineOperation({
  docSlug: 'import-items-from-external-file',
  method: 'POST',
  path: '/v1/projects/{project_id}/import/from_external_file',
  auth: 'basic',
  tag: 'connector-admin',
  summary: 'Import items via JSON file',
  description:
    'The file holds sections of admin create bodies (`virtual_currency`, `virtual_items`, ' +
    '`virtual_currency_package`, `bundle`; Itemshop also reads `game`, `groups`, `attributes`, `regions`). ' +
    'Progress and per-item errors: get-items-import-status.',
  schema: {
    params: ProjectParams,
    body: ImportBody,
    response: { 201: ImportCreated, 401: ErrorRef, 422: ErrorRef },
  },
  handler: async (req, reply) => {
    const created = await req.server.services.imports.start(req.params.project_id, req.body);
    return reply.code(201).send(created);
  },
});
