/**
 * Request validation: one Ajv for JSON bodies without type coercion (a `0`, `""` or `false` must not turn into
 * `null` or another type on its way into a nullable field — `limits.per_user: 0` stays 0 and is rejected), and
 * one for query strings, params and headers with coercion (`?limit=10` → 10, `additional_fields[]=x` → `["x"]`).
 * Both apply schema defaults and never strip unknown properties silently.
 */
import { Ajv } from 'ajv';
import type { FastifySchemaCompiler } from 'fastify';

/** Fastify validator compiler choosing the Ajv of the request part. */
export function requestValidatorCompiler(): FastifySchemaCompiler<unknown> {
  const options = { useDefaults: true, removeAdditional: false, allErrors: false, strict: false } as const;
  const bodies = new Ajv({ ...options, coerceTypes: false });
  const strings = new Ajv({ ...options, coerceTypes: 'array' });
  return ({ schema, httpPart }) => (httpPart === 'body' ? bodies : strings).compile(schema as object);
}
