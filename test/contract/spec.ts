/**
 * The official OpenAPI description of the Xsolla Shop Builder API (July 2025), read at run time from
 * `../shared/spec/` next to the repository — or, when that folder is absent (a plain clone), from `.spec/openapi.json`
 * that `npm run spec:fetch` downloads from Xsolla's published bundle (issue 15 item 9) — turned into ajv validators
 * per (operationId, HTTP status).
 *
 * The response schema of an operation is resolved (`$ref`s into components and responses; a recursive `$ref`
 * becomes a JSON-Schema `$defs` reference), converted from OpenAPI 3.0 to JSON Schema (`nullable`, boolean
 * `exclusiveMinimum`, overlapping `oneOf`, annotation-only keywords), then patched by the documented errata
 * (errata.ts) and compiled with ajv + ajv-formats (`date-time` is checked). The spec file is never copied into
 * the repository; when neither is present `specAvailable` is false and the contract tier skips, saying how to
 * enable it. `endpoints.tsv` (the list of the 128 operations and their groups) exists only in `../shared/spec/`;
 * with the fetched spec it is derived from the operations table (src/http/operations.ts).
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import ajvFormats from 'ajv-formats';
import { operations } from '../../src/http/operations.js';
import { applyErrata, type JsonSchema } from './errata.js';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/** Where the spec lives in this project's CI: `<repo>/../shared/spec/`. */
export const SPEC_DIR = path.resolve(repoRoot, '../shared/spec');
/** The official spec in `../shared/spec/`. */
export const SHARED_SPEC_PATH = path.join(SPEC_DIR, 'xsolla-shop-builder-api-openapi-2025-07.json');
/** The published spec downloaded by `npm run spec:fetch` (scripts/spec-fetch.ts; `.spec/` is ignored by git). */
export const FETCHED_SPEC_PATH = path.join(repoRoot, '.spec', 'openapi.json');

/** The first spec file present among `candidates` (default: ../shared/spec, then .spec/); undefined when none. */
export function locateSpec(candidates: string[] = [SHARED_SPEC_PATH, FETCHED_SPEC_PATH]): string | undefined {
  return candidates.find((file) => existsSync(file));
}

/** The spec file the contract tests read. */
export const SPEC_PATH = locateSpec() ?? SHARED_SPEC_PATH;

/** Whether a spec file is present (CI has ../shared/spec; anyone can `npm run spec:fetch`). */
export const specAvailable = existsSync(SPEC_PATH);

/** Message printed when the contract tier skips. */
export const SKIP_NOTE =
  `contract tests skipped: no OpenAPI description of the Xsolla API (looked for ${SHARED_SPEC_PATH} and ` +
  `${FETCHED_SPEC_PATH}). Run \`npm run spec:fetch\` to download the published one (README, "Contract tests").`;

const HTTP_METHODS = ['get', 'put', 'post', 'delete', 'patch', 'head', 'options'];

interface OpenApiOperation {
  operationId?: string;
  responses?: Record<string, unknown>;
}

interface OpenApiDoc {
  paths: Record<string, Record<string, OpenApiOperation>>;
  components?: Record<string, unknown>;
}

let doc: OpenApiDoc | undefined;

/** The parsed spec (read once). Throws when the file is absent: check `specAvailable` first. */
export function loadSpec(): OpenApiDoc {
  doc ??= JSON.parse(readFileSync(SPEC_PATH, 'utf8')) as OpenApiDoc;
  return doc;
}

/**
 * Reads a file of `../shared/spec/` (e.g. endpoints.tsv); null when absent — except `endpoints.tsv`, which is then
 * derived from the operations table (columns method, path, group, doc_slug; Itemshop's extensions left out).
 */
export function readSpecFile(name: string): string | null {
  const file = path.join(SPEC_DIR, name);
  if (existsSync(file)) return readFileSync(file, 'utf8');
  if (name !== 'endpoints.tsv') return null;
  const rows = operations
    .filter((op) => !op.extension)
    .map((op) => [op.method, op.path, op.tag, op.docSlug].join('\t'));
  return `${['method', 'path', 'group', 'doc_slug'].join('\t')}\n${rows.join('\n')}\n`;
}

/** The operation `operationId` with its method and path template. */
export function findOperation(operationId: string): {
  method: string;
  path: string;
  operation: OpenApiOperation;
} {
  for (const [p, item] of Object.entries(loadSpec().paths)) {
    for (const method of HTTP_METHODS) {
      const op = item[method];
      if (op?.operationId === operationId) return { method: method.toUpperCase(), path: p, operation: op };
    }
  }
  throw new Error(`operationId ${operationId} is not in ${SPEC_PATH}`);
}

// ---------- $ref resolution ----------

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** The node a local JSON pointer (`#/components/schemas/X`) designates in `root`. */
function pointer(root: unknown, ref: string): unknown {
  if (!ref.startsWith('#/')) throw new Error(`only local $refs are supported, got ${ref}`);
  let node: unknown = root;
  for (const raw of ref.slice(2).split('/')) {
    const key = decodeURIComponent(raw).replace(/~1/g, '/').replace(/~0/g, '~');
    if (!isObject(node) && !Array.isArray(node)) throw new Error(`$ref ${ref} does not resolve`);
    node = (node as Record<string, unknown>)[key];
    if (node === undefined) throw new Error(`$ref ${ref} does not resolve`);
  }
  return node;
}

const defName = (ref: string) => ref.replace(/^#\//, '').replace(/[^A-Za-z0-9_.-]/g, '_');

/**
 * Inlines every `$ref` of `node`. A `$ref` met again inside its own expansion (a recursive schema) becomes
 * `{$ref: '#/$defs/<name>'}` and its expansion is added to `defs`.
 */
function resolveRefs(root: unknown, node: unknown, stack: string[], defs: Record<string, unknown>): unknown {
  if (Array.isArray(node)) return node.map((n) => resolveRefs(root, n, stack, defs));
  if (!isObject(node)) return node;
  if (typeof node.$ref === 'string') {
    const ref = node.$ref;
    if (stack.includes(ref)) {
      const name = defName(ref);
      if (!(name in defs)) {
        defs[name] = {}; // placeholder against re-entry
        defs[name] = resolveRefs(root, pointer(root, ref), [ref], defs);
      }
      return { $ref: `#/$defs/${name}` };
    }
    return resolveRefs(root, pointer(root, ref), [...stack, ref], defs);
  }
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(node)) {
    // examples are data, not schemas: never resolve (they are dropped later anyway)
    out[k] = k === 'example' || k === 'examples' ? v : resolveRefs(root, v, stack, defs);
  }
  return out;
}

/**
 * `node` (a part of the document `root`) with its `$ref`s inlined, and the `$defs` needed by recursive ones
 * (empty when there are none).
 */
export function inlineRefs(root: unknown, node: unknown): { value: unknown; defs: Record<string, unknown> } {
  const defs: Record<string, unknown> = {};
  const value = resolveRefs(root, node, [], defs);
  return { value, defs };
}

// ---------- OpenAPI 3.0 → JSON Schema ----------

/** Keywords that only annotate (or are OpenAPI-only) and are dropped. */
const DROPPED = new Set([
  'example',
  'examples',
  'discriminator',
  'xml',
  'externalDocs',
  'readOnly',
  'writeOnly',
  'deprecated',
  'description',
]);
const SCHEMA_MAPS = ['properties', 'patternProperties', '$defs', 'definitions'];
const SCHEMA_LISTS = ['allOf', 'anyOf', 'oneOf', 'prefixItems'];
const SCHEMA_SINGLE = [
  'items',
  'additionalProperties',
  'not',
  'if',
  'then',
  'else',
  'contains',
  'propertyNames',
];

/**
 * Converts one resolved OpenAPI 3.0 schema into JSON Schema:
 * - `nullable: true` → `type: [T, 'null']` (and `null` added to `enum`); without `type`, `anyOf: [{type: null}, …]`;
 * - boolean `exclusiveMinimum`/`exclusiveMaximum` → numeric (draft 2019+ form);
 * - `oneOf` → `anyOf`: the spec's `oneOf` branches are open objects that overlap (e.g. the two-letter and
 *   five-letter localization objects both accept `{"en": "x"}`), so JSON-Schema `oneOf` would reject every
 *   valid value; "one of these shapes" is what the spec means;
 * - annotation-only and `x-*` keywords are dropped.
 */
export function toJsonSchema(node: unknown): JsonSchema {
  if (!isObject(node)) return node as JsonSchema;
  const out: Record<string, unknown> = {};
  let oneOf: JsonSchema[] | undefined;
  for (const [k, v] of Object.entries(node)) {
    if (DROPPED.has(k) || k.startsWith('x-') || k === 'nullable') continue;
    if (SCHEMA_MAPS.includes(k) && isObject(v)) {
      out[k] = Object.fromEntries(Object.entries(v).map(([name, s]) => [name, toJsonSchema(s)]));
    } else if (k === 'oneOf' && Array.isArray(v)) {
      oneOf = v.map(toJsonSchema);
    } else if (SCHEMA_LISTS.includes(k) && Array.isArray(v)) {
      out[k] = v.map(toJsonSchema);
    } else if (SCHEMA_SINGLE.includes(k) && (isObject(v) || Array.isArray(v))) {
      out[k] = Array.isArray(v) ? v.map(toJsonSchema) : toJsonSchema(v);
    } else {
      out[k] = v;
    }
  }
  for (const [kw, bound] of [
    ['exclusiveMinimum', 'minimum'],
    ['exclusiveMaximum', 'maximum'],
  ] as const) {
    if (typeof out[kw] === 'boolean') {
      if (out[kw] && typeof out[bound] === 'number') out[kw] = out[bound];
      else delete out[kw];
      if (out[kw] !== undefined) delete out[bound];
    }
  }
  if (oneOf) {
    if (out.anyOf) out.allOf = [...((out.allOf as unknown[]) ?? []), { anyOf: oneOf }];
    else out.anyOf = oneOf;
  }
  if (node.nullable === true) return allowNull(out);
  return out;
}

/** `schema` or null. */
export function allowNull(schema: Record<string, unknown>): Record<string, unknown> {
  const out = { ...schema };
  if (typeof out.type === 'string') out.type = [out.type, 'null'];
  else if (Array.isArray(out.type)) out.type = out.type.includes('null') ? out.type : [...out.type, 'null'];
  else return { anyOf: [{ type: 'null' }, out] };
  if (Array.isArray(out.enum) && !out.enum.includes(null)) out.enum = [...out.enum, null];
  // branches of a nullable composite must let null through too
  for (const k of ['anyOf', 'oneOf']) {
    if (Array.isArray(out[k])) out[k] = [{ type: 'null' }, ...(out[k] as unknown[])];
  }
  if (Array.isArray(out.allOf))
    out.allOf = (out.allOf as Record<string, unknown>[]).map((s) => (isObject(s) ? allowNull(s) : s));
  return out;
}

// ---------- ajv ----------

let ajv: Ajv | undefined;

function getAjv(): Ajv {
  if (ajv) return ajv;
  ajv = new Ajv({ strict: false, allErrors: true, validateFormats: true });
  ajvFormats.default(ajv);
  // OpenAPI/RFC 3339 `full-time` (e.g. 02:00:00+03:00) is ajv-formats' `time` (offset required).
  ajv.addFormat('full-time', ajvFormats.default.get('time'));
  // `format: json` marks free-form JSON objects; on a string it must parse.
  ajv.addFormat('json', (s: string) => {
    try {
      JSON.parse(s);
      return true;
    } catch {
      return false;
    }
  });
  return ajv;
}

/** What the spec says about one (operation, status). */
export interface ResponseContract {
  operationId: string;
  status: number;
  /** The status (or `default`) is listed in the operation's responses. */
  documented: boolean;
  /** The documented response has an `application/json` schema. */
  hasSchema: boolean;
  /** The converted schema (after errata), or null. */
  schema: JsonSchema | null;
  /** Ids of the errata applied to this schema. */
  errata: string[];
  /** Human-readable failures (empty = valid). Without a schema, any body passes. */
  validate(body: unknown): string[];
}

const cache = new Map<string, ResponseContract>();

/** The value at a JSON pointer of ajv's `instancePath`. */
function valueAt(body: unknown, instancePath: string): unknown {
  let node = body;
  for (const raw of instancePath.split('/').slice(1)) {
    const key = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    if (node === null || typeof node !== 'object') return undefined;
    node = (node as Record<string, unknown>)[key];
  }
  return node;
}

const truncate = (s: string, n = 160) => (s.length > n ? `${s.slice(0, n)}…` : s);

/** One line per ajv error: where, what, and the offending value (truncated). */
export function formatErrors(errors: ErrorObject[] | null | undefined, body: unknown): string[] {
  return (errors ?? []).slice(0, 20).map((e) => {
    const at = e.instancePath || '/';
    const extra = e.keyword === 'additionalProperties' ? ` '${String(e.params.additionalProperty)}'` : '';
    const value = truncate(JSON.stringify(valueAt(body, e.instancePath)) ?? 'undefined');
    return `${at} ${e.message ?? e.keyword}${extra} (schema ${e.schemaPath}) — value: ${value}`;
  });
}

/** The schema of `application/json` (or any JSON media type) of a response object; undefined when none. */
function jsonSchemaOf(response: unknown): unknown {
  if (!isObject(response) || !isObject(response.content)) return undefined;
  const content = response.content as Record<string, { schema?: unknown }>;
  const type =
    Object.keys(content).find((t) => t === 'application/json') ??
    Object.keys(content).find((t) => /json/.test(t));
  return type ? content[type].schema : undefined;
}

/** Compiles a JSON Schema into a function returning the human-readable failures of a body (empty = valid). */
export function compileValidator(schema: JsonSchema): (body: unknown) => string[] {
  const validator: ValidateFunction = getAjv().compile(schema);
  return (body) => (validator(body) ? [] : formatErrors(validator.errors, body));
}

/**
 * The response of `operationId` for `status` as the spec documents it: `documented` (the status, its `NXX`
 * class or `default` is listed) and the JSON-Schema of its JSON body (refs resolved, converted; no errata),
 * or `schema: undefined` when the documented response has no JSON body.
 */
export function specResponseSchema(
  operationId: string,
  status: number,
): { documented: boolean; schema?: Record<string, unknown> } {
  const { operation } = findOperation(operationId);
  const responses = operation.responses ?? {};
  const raw = responses[String(status)] ?? responses[`${String(status)[0]}XX`] ?? responses.default;
  if (raw === undefined) return { documented: false };
  const { value, defs } = inlineRefs(loadSpec(), raw);
  const rawSchema = jsonSchemaOf(value);
  if (rawSchema === undefined) return { documented: true };
  return { documented: true, schema: withDefs(toJsonSchema(rawSchema) as Record<string, unknown>, defs) };
}

/** `schema` with the converted `$defs` of recursive refs attached (unchanged when there are none). */
export function withDefs(
  schema: Record<string, unknown>,
  defs: Record<string, unknown>,
): Record<string, unknown> {
  if (Object.keys(defs).length === 0) return schema;
  return { ...schema, $defs: Object.fromEntries(Object.entries(defs).map(([k, v]) => [k, toJsonSchema(v)])) };
}

/**
 * The contract of `operationId` answering `status`: whether the spec documents the status, and a validator of
 * the JSON body against the documented schema (resolved, converted, errata applied). Cached per pair.
 */
export function responseContract(operationId: string, status: number): ResponseContract {
  const key = `${operationId} ${status}`;
  const hit = cache.get(key);
  if (hit) return hit;
  const { documented, schema } = specResponseSchema(operationId, status);
  let contract: ResponseContract;
  if (schema === undefined) {
    contract = {
      operationId,
      status,
      documented,
      hasSchema: false,
      schema: null,
      errata: [],
      validate: () => [],
    };
  } else {
    const applied = applyErrata(operationId, status, schema);
    let validate: (body: unknown) => string[];
    try {
      validate = compileValidator(schema);
    } catch (e) {
      throw new Error(`cannot compile the schema of ${operationId} ${status}: ${(e as Error).message}`, {
        cause: e,
      });
    }
    contract = { operationId, status, documented, hasSchema: true, schema, errata: applied, validate };
  }
  cache.set(key, contract);
  return contract;
}

/** The statuses the spec documents for `operationId` (numbers; `default`/`NXX` left out). */
export function documentedStatuses(operationId: string): number[] {
  return Object.keys(findOperation(operationId).operation.responses ?? {})
    .filter((s) => /^\d{3}$/.test(s))
    .map(Number);
}
