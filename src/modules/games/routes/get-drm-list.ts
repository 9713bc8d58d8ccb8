import { defineOperation } from '../../../http/operation.js';
import { ErrorRef } from '../../../http/schemas.js';
import { DRMS, drmView } from '../drm.js';
import { DrmList, ProjectParams } from '../schemas.js';

/** GET …/items/game/drm — the DRM platforms game keys can be sold for (no authorization). */
export default defineOperation({
  docSlug: 'get-drm-list',
  method: 'GET',
  path: '/v2/project/{project_id}/items/game/drm',
  auth: 'none',
  tag: 'game-keys-catalog',
  summary: 'Get DRM list',
  schema: {
    params: ProjectParams,
    response: { 200: DrmList, 404: ErrorRef },
  },
  handler: async () => ({ drm: DRMS.map(drmView) }),
});
