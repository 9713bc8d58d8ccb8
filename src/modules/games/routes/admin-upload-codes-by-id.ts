import { defineOperation } from '../../../http/operation.js';
import { writeOptions } from '../../../http/write.js';
import { ErrorRef } from '../../../http/schemas.js';
import { readCodesUpload } from '../http.js';
import { CodesSession, ItemIdParams } from '../schemas.js';
import { MAX_UPLOAD_BYTES } from '../service.js';

/**
 * POST …/admin/items/game/key/upload/id/{item_id} — multipart/form-data: `file` (one code per line) and optional
 * `region_id`. Stores the codes in one request (codes already there or repeated are skipped) and answers the
 * upload session `{session_id, count_uploaded, count_total, count_skipped, status}`.
 */
export default defineOperation({
  docSlug: 'admin-upload-codes-by-id',
  method: 'POST',
  path: '/v2/project/{project_id}/admin/items/game/key/upload/id/{item_id}',
  auth: 'basic',
  tag: 'game-keys-admin',
  summary: 'Upload codes by ID',
  description:
    'Body: multipart/form-data with a `file` part (text, one code per line) and an optional `region_id` field.',
  bodyLimit: MAX_UPLOAD_BYTES,
  schema: {
    params: ItemIdParams,
    response: {
      200: CodesSession,
      401: ErrorRef,
      404: ErrorRef,
      413: ErrorRef,
      415: ErrorRef,
      422: ErrorRef,
    },
  },
  handler: async (req, reply) => {
    const { content, regionId } = await readCodesUpload(req);
    return req.server.services.games.upload(
      req.params.project_id,
      { id: req.params.item_id },
      content,
      regionId,
      writeOptions(req, reply, { body: { content, regionId } }),
    );
  },
});
