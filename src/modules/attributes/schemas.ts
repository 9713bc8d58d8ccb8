/**
 * Request and response schemas of the attribute admin area (endpoints.tsv group `attribute-admin`).
 * External-id rules are the real service's (spec schemas `admin-attribute-external_id`, `value-external_id`;
 * seed-details §2.2): item bodies (modules/items/schemas.ts) use the same atoms.
 */
import { Type } from 'typebox';
import { PageQuery, ProjectIdParam } from '../../http/schemas.js';
export { ProjectParams } from '../../http/schemas.js';

/** Attribute external id: 1–255 Latin letters, digits, `-`, `_`. */
export const AttributeExternalId = Type.String({
  minLength: 1,
  maxLength: 255,
  pattern: '^[a-zA-Z0-9-_]+$',
  description: 'Attribute ID: Latin letters, digits, dashes and underscores.',
});

/** Attribute value external id: 1–255 word characters, `-`, `.`. */
export const ValueExternalId = Type.String({
  minLength: 1,
  maxLength: 255,
  pattern: '^[-_.\\d\\w]+$',
  description: 'Value ID, unique within its attribute: Latin letters, digits, dashes, underscores, dots.',
});

/** A localization object of an attribute name or value text: `en` or `en-US` keys (stored two-letter). */
const LocalizedText = Type.Record(Type.String(), Type.String(), {
  description: 'Localizations keyed by `en` or `en-US`; responses use two-letter keys.',
});

export const AttributeParams = Type.Object({
  project_id: ProjectIdParam,
  external_id: Type.String({ minLength: 1, description: 'Attribute external ID.' }),
});
export const ValueParams = Type.Object({
  project_id: ProjectIdParam,
  external_id: Type.String({ minLength: 1, description: 'Attribute external ID.' }),
  value_external_id: Type.String({ minLength: 1, description: 'Attribute value external ID.' }),
});

export const AttributeListQuery = PageQuery;

/** Body of create and update: `external_id` (a different one renames on update) and the localized `name`. */
export const AttributeBody = Type.Object({ external_id: AttributeExternalId, name: LocalizedText });

/** Body of value create and update: `external_id` (a different one renames on update) and the localized `value`. */
export const ValueBody = Type.Object({ external_id: ValueExternalId, value: LocalizedText });

export const CreatedAttribute = Type.Object({ external_id: Type.String() });
export const CreatedValue = Type.Object({ external_id: Type.String() });

/** One value in admin views. */
export const AdminAttributeValue = Type.Object({
  external_id: Type.String(),
  value: Type.Record(Type.String(), Type.String()),
});

/** An attribute in admin views: its values ride along (our addition; see docs/decisions). */
export const AdminAttribute = Type.Object({
  external_id: Type.String(),
  name: Type.Record(Type.String(), Type.String()),
  values: Type.Array(AdminAttributeValue),
});

export const AdminAttributeList = Type.Object({
  total_count: Type.Integer({ description: 'Attributes of the project (all pages).' }),
  attributes: Type.Array(AdminAttribute),
});
