/**
 * Request validation: one Ajv for JSON bodies without type coercion (a `0`, `""` or `false` must not turn into
 * `null` or another type on its way into a nullable field — `limits.per_user: 0` stays 0 and is rejected), and
 * one for query strings, params and headers with coercion (`?limit=10` → 10, `additional_fields[]=x` → `["x"]`).
 * Both apply schema defaults and never strip unknown properties silently.
 */
import { Ajv, type FuncKeywordDefinition, type SchemaValidateFunction, type ValidateFunction } from 'ajv';
import type { FastifySchemaCompiler } from 'fastify';
import { jsonDepth } from './json-body.js';

/** A keyword check that reports `params.limit` (rendered by errors/handler.ts describeValidationError). */
function boundKeyword(
  keyword: string,
  within: (data: unknown, limit: number) => boolean,
): FuncKeywordDefinition {
  const validate: SchemaValidateFunction = (limit: number, data: unknown): boolean => {
    const ok = within(data, limit);
    validate.errors = ok ? undefined : [{ keyword, params: { limit }, message: `${keyword} ${limit}` }];
    return ok;
  };
  return { keyword, schemaType: 'number', errors: true, validate };
}

/**
 * Adds the free-form JSON bounds of http/schemas.ts `boundedJson` (ADR 0045): `x-max-depth` (nesting levels of
 * the value, a flat object is 1) and `x-max-json-length` (characters of its JSON text).
 */
function withJsonBounds(ajv: Ajv): Ajv {
  ajv.addKeyword(boundKeyword('x-max-depth', (data, limit) => jsonDepth(data, limit) <= limit));
  ajv.addKeyword(
    boundKeyword('x-max-json-length', (data, limit) => (JSON.stringify(data) ?? '').length <= limit),
  );
  return ajv;
}

/**
 * Fastify validator compiler choosing the Ajv of the request part. Each validator is compiled on its route's
 * first request, not at startup: compiling ~200 routes' schemas up front took a third of the time to listen
 * (docs/performance.md).
 */
export function requestValidatorCompiler(): FastifySchemaCompiler<unknown> {
  const options = { useDefaults: true, removeAdditional: false, allErrors: false, strict: false } as const;
  const bodies = withJsonBounds(new Ajv({ ...options, coerceTypes: false }));
  const strings = withJsonBounds(new Ajv({ ...options, coerceTypes: 'array' }));
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
