/**
 * Request validation: one Ajv for JSON bodies without type coercion (a `0`, `""` or `false` must not turn into
 * `null` or another type on its way into a nullable field — `limits.per_user: 0` stays 0 and is rejected), and
 * one for query strings, params and headers with coercion (`?limit=10` → 10, `additional_fields[]=x` → `["x"]`).
 * Both apply schema defaults and never strip unknown properties silently.
 */
import { Ajv, type ValidateFunction } from 'ajv';
import type { FastifySchemaCompiler } from 'fastify';

/**
 * Fastify validator compiler choosing the Ajv of the request part. Each validator is compiled on its route's
 * first request, not at startup: compiling ~200 routes' schemas up front took a third of the time to listen
 * (docs/performance.md).
 */
export function requestValidatorCompiler(): FastifySchemaCompiler<unknown> {
  const options = { useDefaults: true, removeAdditional: false, allErrors: false, strict: false } as const;
  const bodies = new Ajv({ ...options, coerceTypes: false });
  const strings = new Ajv({ ...options, coerceTypes: 'array' });
  return ({ schema, httpPart }) => {
    let compiled: ValidateFunction | undefined;
    const validate = (data: unknown) => {
      compiled ??= (httpPart === 'body' ? bodies : strings).compile(schema as object);
      const ok = compiled(data);
      validate.errors = compiled.errors;
      return ok;
    };
    validate.errors = null as ValidateFunction['errors'];
    return validate;
  };
}
