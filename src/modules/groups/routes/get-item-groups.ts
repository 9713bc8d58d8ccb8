import { AppError } from '../../../errors/app-error.js';
import { defineOperation } from '../../../http/operation.js';
import { ErrorRef } from '../../../http/schemas.js';
import { requestLocale } from '../../../lib/locale.js';
import { CatalogGroupList, CatalogGroupsQuery, ProjectParams } from '../schemas.js';
import { catalogGroupTree } from '../service.js';

/** GET …/items/groups — the enabled groups as a tree, localized (public, served from the catalog snapshot). */
export default defineOperation({
  docSlug: 'get-item-groups',
  method: 'GET',
  path: '/v2/project/{project_id}/items/groups',
  auth: 'none',
  tag: 'item-groups-catalog',
  summary: 'Get item group list',
  description:
    'Top-level groups with their children nested (`level`, `children`, `parent_external_id`), without pagination. Disabled groups and their subgroups are left out.',
  schema: {
    params: ProjectParams,
    querystring: CatalogGroupsQuery,
    response: { 200: CatalogGroupList, 404: ErrorRef },
  },
  handler: async (req) => {
    const snapshot = await req.server.services.catalog.snapshot(req.params.project_id);
    if (!snapshot)
      throw new AppError('PROJECT_NOT_FOUND', `Project with id = ${req.params.project_id} not found`);
    return { groups: catalogGroupTree(snapshot, requestLocale(req.query.locale)) };
  },
});
