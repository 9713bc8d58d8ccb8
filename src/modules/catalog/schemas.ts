/** Path parameters of the common catalog calls. */
export {
  ProjectParams,
  SkuParams,
  ItemIdParams,
  GroupExternalIdParams as GroupParams,
} from '../../http/schemas.js';
