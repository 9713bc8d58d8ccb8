/** Path parameters of the common catalog calls. */
import { Type } from 'typebox';
import { ProjectIdParam } from '../../http/schemas.js';

export const ProjectParams = Type.Object({ project_id: ProjectIdParam });
export const GroupParams = Type.Object({
  project_id: ProjectIdParam,
  external_id: Type.String({ minLength: 1 }),
});
export const SkuParams = Type.Object({ project_id: ProjectIdParam, sku: Type.String({ minLength: 1 }) });
/** `item_id` is the numeric item id (seed I), typed string as in the seed so that a non-number answers 404. */
export const ItemIdParams = Type.Object({
  project_id: ProjectIdParam,
  item_id: Type.String({ minLength: 1 }),
});
