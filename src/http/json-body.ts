/**
 * Bounds of JSON request bodies (ADR 0045). Every `application/json` body is refused with 422/1102 when it nests
 * deeper than JSON_MAX_DEPTH levels, before it is parsed: no deeper value ever reaches a recursive walk
 * (validation, JSON.stringify in a repository, the pg driver) that could overflow the stack. Free-form fields
 * (`custom_parameters`, `custom_attributes`, `settings.ui`…) carry tighter bounds in their schemas
 * (`x-max-depth`, `x-max-json-length`; http/schemas.ts `boundedJson`, checked by http/validation.ts).
 */
import type { FastifyInstance } from 'fastify';
import { AppError } from '../errors/app-error.js';

/** Deepest nesting of objects and arrays a request body may have (a flat object is 1). */
export const JSON_MAX_DEPTH = 32;

/**
 * True when the JSON text `text` nests objects/arrays deeper than `max` levels. A linear scan that skips string
 * contents; it does not validate the JSON (the parser does).
 */
export function jsonNestsDeeperThan(text: string, max: number): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 92 /* \ */) i++;
      else if (c === 34 /* " */) inString = false;
    } else if (c === 34) inString = true;
    else if (c === 123 /* { */ || c === 91 /* [ */) {
      if (++depth > max) return true;
    } else if (c === 125 /* } */ || c === 93 /* ] */) depth--;
  }
  return false;
}

/**
 * Nesting depth of a parsed JSON value: 0 for a scalar, 1 for a flat object or array. Iterative (no recursion).
 * Stops counting once past `stopAfter` (default: no limit).
 */
export function jsonDepth(value: unknown, stopAfter = Infinity): number {
  let max = 0;
  const stack: [unknown, number][] = [[value, 0]];
  while (stack.length > 0) {
    const [v, d] = stack.pop()!;
    if (v === null || typeof v !== 'object') continue;
    const depth = d + 1;
    if (depth > max) max = depth;
    if (max > stopAfter) return max;
    for (const child of Array.isArray(v) ? v : Object.values(v)) {
      if (child !== null && typeof child === 'object') stack.push([child, depth]);
    }
  }
  return max;
}

/**
 * Replaces Fastify's `application/json` parser with the same parser (prototype-poisoning checks included) behind
 * the depth bound. Errors: 422/1102 (too deep); 400 (not JSON) as before.
 */
export function installJsonBodyParser(app: FastifyInstance): void {
  const parse = app.getDefaultJsonParser('error', 'error');
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (request, body, done) => {
    const text = body as string;
    if (jsonNestsDeeperThan(text, JSON_MAX_DEPTH)) {
      const message = `The body must not be nested deeper than ${JSON_MAX_DEPTH} levels`;
      done(
        new AppError('VALIDATION', `Unprocessable Entity. ${message}`, [{ property: '', message }]),
        undefined,
      );
      return;
    }
    void parse(request, text, done);
  });
}
