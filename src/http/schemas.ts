/**
 * Shared schema atoms of the HTTP layer (TypeBox): path/query parameters, pagination, localization objects,
 * the error envelope. Area schemas (modules/<area>/schemas.ts) build on these; nothing here is area-specific.
 */
import { Type, type Static, type TSchema } from 'typebox';

/**
 * `T | null`. A schema with a single `type` becomes `type: [T, 'null']` — one check, so query/body type
 * coercion cannot rewrite a value while trying a wrong branch; others become `anyOf: [null, T]`.
 */
export const Nullable = <T extends TSchema>(schema: T) => {
  const type = (schema as { type?: unknown }).type;
  if (typeof type === 'string') return Type.Unsafe<Static<T> | null>({ ...schema, type: [type, 'null'] });
  return Type.Union([Type.Null(), schema]);
};

/** Largest id the storage holds: ids are PostgreSQL `integer` (signed 32-bit). */
export const MAX_ID = 2_147_483_647;

/** A positive 32-bit id in a path or query (ADR 0045: every integer id is range-checked by its schema). */
export const IdParam = (options: { description?: string } = {}) =>
  Type.Integer({ minimum: 1, maximum: MAX_ID, ...options });

export const ProjectIdParam = Type.Integer({
  minimum: 1,
  maximum: MAX_ID,
  description: 'Project ID.',
  examples: [44056],
});
export const MerchantIdParam = IdParam({ description: 'Merchant ID.' });

/**
 * Bounds of free-form JSON (ADR 0045), checked by the request validator (http/validation.ts): `x-max-depth` —
 * nesting levels of the value itself (a flat object is 1); `x-max-json-length` — characters of its JSON text.
 * Every request body is also refused past JSON_MAX_DEPTH levels before it is parsed (http/json-body.ts).
 */
export function boundedJson<T extends TSchema>(
  schema: T,
  bounds: { maxDepth: number; maxJsonLength: number },
): T {
  return { ...schema, 'x-max-depth': bounds.maxDepth, 'x-max-json-length': bounds.maxJsonLength } as T;
}

/** Item SKU rule of the real service: 1–255 of Latin letters, digits, `_`, `-`, `–`, `.`. */
export const Sku = Type.String({ minLength: 1, maxLength: 255, pattern: '^[a-zA-Z0-9_\\-–.]*$' });

/** Localization object as sent: two- or five-letter keys, string (or null to drop) values. */
export const LocalizedInput = Nullable(
  Type.Record(Type.String(), Nullable(Type.String()), {
    description: 'Localizations keyed by `en` or `en-US`; responses use two-letter keys.',
  }),
);
/** Localization object as returned by admin calls: two-letter keys. */
export const LocalizedOutput = Nullable(Type.Record(Type.String(), Type.String()));

export const LimitQuery = Type.Integer({
  minimum: 1,
  maximum: MAX_ID,
  default: 50,
  description: 'Page size; the default and maximum is 50 (a larger value is served as 50).',
});
export const OffsetQuery = Type.Integer({
  minimum: 0,
  maximum: MAX_ID,
  default: 0,
  description: 'Index of the first element (from 0).',
});

/** `limit`/`offset` of admin lists. */
export const PageQuery = Type.Object({
  limit: Type.Optional(LimitQuery),
  offset: Type.Optional(OffsetQuery),
});

export const PromoCodeQuery = Type.String({ minLength: 1, maxLength: 128 });

/** The Xsolla error envelope (errors/handler.ts). */
export const ErrorResponse = Type.Object(
  {
    statusCode: Type.Integer(),
    errorCode: Type.Integer(),
    errorMessage: Type.String(),
    transactionId: Type.String(),
    errorMessageExtended: Type.Optional(
      Type.Array(Type.Object({ property: Type.String(), message: Type.String() })),
    ),
  },
  { $id: 'ErrorResponse', description: 'Error envelope: `[0401-<code>]: <message>`.' },
);

/** Reference to the shared error schema in route `response` maps. */
export const ErrorRef = Type.Ref('ErrorResponse');

/** Page size actually served: at most 50 (spec: default and maximum 50). */
export const MAX_PAGE = 50;
export const pageOf = (q: { limit?: number; offset?: number }) => ({
  limit: Math.min(q.limit ?? MAX_PAGE, MAX_PAGE),
  offset: q.offset ?? 0,
});

/** Response of 204 operations. */
export const NoContent = Type.Null({ description: 'No content.' });

// ---------- path and query parameters shared by every area ----------

const PathString = Type.String({ minLength: 1 });

/** `{project_id}`. */
export const ProjectParams = Type.Object({ project_id: ProjectIdParam });
/** `{project_id}` + `{item_sku}`. */
export const ItemSkuParams = Type.Object({ project_id: ProjectIdParam, item_sku: PathString });
/** `{project_id}` + `{sku}`. */
export const SkuParams = Type.Object({ project_id: ProjectIdParam, sku: PathString });
/**
 * `{project_id}` + `{item_id}`: the numeric item id, typed string as the spec does (seeds I and L), so that a
 * non-number answers 404 rather than 422.
 */
export const ItemIdParams = Type.Object({
  project_id: ProjectIdParam,
  item_id: Type.String({ minLength: 1, maxLength: 32 }),
});
/** `{project_id}` + a group's `{external_id}`. */
export const GroupExternalIdParams = Type.Object({ project_id: ProjectIdParam, external_id: PathString });
/** `{project_id}` + a group's numeric `{group_id}`. */
export const GroupIdParams = Type.Object({
  project_id: ProjectIdParam,
  group_id: IdParam(),
});

/** Query of admin lists: `limit` (≤ 50), `offset`, and `promo_code` (accepted, as the spec lists it). */
export const AdminListQuery = Type.Object({
  ...PageQuery.properties,
  promo_code: Type.Optional(PromoCodeQuery),
});
/** Query of admin single-item reads. */
export const AdminItemQuery = Type.Object({ promo_code: Type.Optional(PromoCodeQuery) });
