/**
 * Request and response schemas of regions (endpoints.tsv group common-regions; spec operations admin-*-region).
 * A region is a project's named list of countries; items restricted to regions are sold only to buyers in
 * one of their countries (docs/decisions/0009-regions.md).
 */
import { Type } from 'typebox';
import { ProjectIdParam } from '../../http/schemas.js';
export { ProjectParams } from '../../http/schemas.js';

export const RegionParams = Type.Object({
  project_id: ProjectIdParam,
  region_id: Type.Integer({ minimum: 1, maximum: 2147483647, description: 'Region ID.' }),
});

/** ISO 3166-1 alpha-2, uppercase. */
export const CountryCode = Type.String({
  pattern: '^[A-Z]{2}$',
  description: 'ISO 3166-1 alpha-2 (uppercase).',
});

/** Region name: locale (`en-US`, or `en`) → text; keys are returned as sent. */
export const RegionName = Type.Record(Type.String(), Type.String({ maxLength: 255 }), {
  minProperties: 1,
  description: 'Name by locale, e.g. `{"en-US": "Asia"}` (keys `xx-XX` as the spec shows, or `xx`).',
});

export const RegionBody = Type.Object({
  name: RegionName,
  countries: Type.Array(CountryCode, { minItems: 1, maxItems: 300, description: 'Countries of the region.' }),
});

export const RegionView = Type.Object({
  id: Type.Integer(),
  name: Type.Record(Type.String(), Type.String()),
  countries: Type.Array(Type.String()),
});
export const RegionList = Type.Object({ regions: Type.Array(RegionView) });
export const CreatedRegion = Type.Object({ region_id: Type.Integer() });
