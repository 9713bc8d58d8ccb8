/** The operations of the regions area, one route file each (gathered by src/http/operations.ts). */
import type { AnyOperation } from '../../../http/operation.js';
import adminCreateRegion from './admin-create-region.js';
import adminDeleteRegion from './admin-delete-region.js';
import adminGetRegion from './admin-get-region.js';
import adminGetRegions from './admin-get-regions.js';
import adminUpdateRegion from './admin-update-region.js';

export const regionsOperations: readonly AnyOperation[] = [
  adminCreateRegion,
  adminDeleteRegion,
  adminGetRegion,
  adminGetRegions,
  adminUpdateRegion,
];
