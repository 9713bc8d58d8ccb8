/**
 * Schema-driven request generators of the operations fuzz (fuzz.test.ts): fast-check arbitraries built from an
 * operation's TypeBox (JSON Schema) request schemas. Most values follow the schema — so that requests get past
 * validation and reach the services — and a share of them are hostile: wrong types, numbers beyond 32 and 64 bits,
 * NUL and non-BMP characters, strings past every length limit, deep nesting, extra properties.
 */
import fc, { type Arbitrary } from 'fast-check';

type Schema = Record<string, unknown> & {
  type?: string | string[];
  properties?: Record<string, Schema>;
  required?: string[];
  items?: Schema;
  anyOf?: Schema[];
  oneOf?: Schema[];
  allOf?: Schema[];
  enum?: unknown[];
  const?: unknown;
  pattern?: string;
  format?: string;
  minimum?: number;
  maximum?: number;
  minLength?: number;
  maxLength?: number;
  minItems?: number;
  maxItems?: number;
  additionalProperties?: boolean | Schema;
  patternProperties?: Record<string, Schema>;
};

/**
 * Values a property (or parameter) name calls for, when the fixture knows some (skus, ids, urls that never leave
 * the host, `{"en": …}` for a localized name); `types` are the JSON types the schema allows there.
 */
export type Known = (name: string, types: string[]) => Arbitrary<unknown> | undefined;

/** The JSON types `schema` allows (its `type`, or those of its `anyOf`/`oneOf` branches). */
export function typesOf(schema: Schema | undefined): string[] {
  if (!schema) return [];
  if (Array.isArray(schema.type)) return schema.type;
  if (schema.type) return [schema.type];
  return (schema.anyOf ?? schema.oneOf ?? []).flatMap((b) => typesOf(b));
}

/** JSON nested `depth` levels: `{"a":{"a":…}}` or `[[…]]`. */
const nested = (depth: number, array: boolean): unknown => {
  let v: unknown = 1;
  for (let i = 0; i < depth; i++) v = array ? [v] : { a: v };
  return v;
};

/** Hostile scalars and shapes that any field may receive. */
export const junk: Arbitrary<unknown> = fc.oneof(
  fc.constantFrom(
    null,
    '',
    ' ',
    '\u0000',
    'a\u0000b',
    '\ud83d\ude00',
    '\ud800',
    '💥'.repeat(300),
    'x'.repeat(5000),
    '../../etc/passwd',
    "' OR 1=1 --",
    '<script>alert(1)</script>',
    '%ff',
    '__proto__',
    'constructor',
    true,
    false,
    0,
    -1,
    0.5,
    -0,
    2147483647,
    2147483648,
    -2147483649,
    Number.MAX_SAFE_INTEGER + 2,
    1e308,
    -1e308,
    1e-320,
    '1e400',
    '99999999999999999999',
    '-0.000000001',
    'NaN',
    [],
    {},
  ),
  fc.constant(nested(9, false)),
  fc.constant(nested(40, true)),
  fc.jsonValue({ maxDepth: 3 }),
  fc.string({ unit: 'binary', maxLength: 40 }),
);

/** Options of the generators: `hostile` mixes junk into every field (else values follow the schema). */
export interface GenOptions {
  known: Known;
  hostile: boolean;
}

function stringOf(s: Schema): Arbitrary<string> {
  if (s.format === 'date-time') {
    return fc
      .date({
        min: new Date('2000-01-01T00:00:00Z'),
        max: new Date('2040-01-01T00:00:00Z'),
        noInvalidDate: true,
      })
      .map((d) => d.toISOString());
  }
  if (s.format === 'email') return fc.emailAddress();
  const minLength = s.minLength ?? 0;
  const maxLength = Math.max(minLength, Math.min(s.maxLength ?? 24, 24));
  if (s.pattern) {
    try {
      return fc
        .stringMatching(new RegExp(s.pattern))
        .filter((v) => v.length >= minLength && (s.maxLength === undefined || v.length <= s.maxLength));
    } catch {
      // a pattern fast-check cannot generate from: fall through to plain strings
    }
  }
  return fc.string({ minLength, maxLength });
}

function numberOf(s: Schema, integer: boolean): Arbitrary<number> {
  const min = s.minimum ?? (integer ? -1000 : -1000);
  const max = s.maximum ?? (integer ? 1_000_000 : 1_000_000);
  if (integer) {
    const lo = Math.max(min, -2_147_483_648);
    const hi = Math.min(max, 2_147_483_647);
    // small values are the useful ones (quantities, amounts, limits); the edges are in `junk`
    return fc.oneof(fc.integer({ min: lo, max: Math.min(hi, lo + 100) }), fc.integer({ min: lo, max: hi }));
  }
  return fc.double({ min, max, noNaN: true, noDefaultInfinity: true });
}

/**
 * An arbitrary of values for `schema`. `name` is the property (or parameter) name, which `known` may map to
 * fixture values. `depth` bounds recursion.
 */
export function arbitraryOf(
  schema: Schema | undefined,
  o: GenOptions,
  name = '',
  depth = 0,
): Arbitrary<unknown> {
  /** Draws the schema's value most of the time and, in hostile cases, junk otherwise. */
  const sometimesJunk = (valid: Arbitrary<unknown>) =>
    o.hostile ? fc.oneof({ weight: 6, arbitrary: valid }, { weight: 1, arbitrary: junk }) : valid;
  const fromFixture = name ? o.known(name, typesOf(schema)) : undefined;
  if (fromFixture) return sometimesJunk(fromFixture);
  if (!schema || depth > 6) return fc.jsonValue({ maxDepth: 2 });
  if (schema.const !== undefined) return sometimesJunk(fc.constant(schema.const));
  if (schema.enum) return sometimesJunk(fc.constantFrom(...schema.enum));
  const branches = schema.anyOf ?? schema.oneOf;
  if (branches) return fc.oneof(...branches.map((b) => arbitraryOf(b, o, name, depth + 1)));
  if (schema.allOf) return arbitraryOf(Object.assign({}, ...schema.allOf) as Schema, o, name, depth + 1);
  const types = Array.isArray(schema.type) ? schema.type : schema.type ? [schema.type] : [];
  if (types.length > 1) {
    return fc.oneof(...types.map((t) => arbitraryOf({ ...schema, type: t }, o, name, depth + 1)));
  }
  switch (types[0]) {
    case 'string':
      return sometimesJunk(stringOf(schema));
    case 'integer':
      return sometimesJunk(numberOf(schema, true));
    case 'number':
      return sometimesJunk(numberOf(schema, false));
    case 'boolean':
      return sometimesJunk(fc.boolean());
    case 'null':
      return fc.constant(null);
    case 'array':
      return sometimesJunk(
        fc.array(arbitraryOf(schema.items, o, name, depth + 1), {
          minLength: Math.min(schema.minItems ?? 0, 3),
          maxLength: Math.max(Math.min(schema.maxItems ?? 3, 3), Math.min(schema.minItems ?? 0, 3)),
        }),
      );
    case 'object':
      return sometimesJunk(objectOf(schema, o, depth));
    default:
      // no type: free-form JSON (custom_parameters values, custom_attributes…) or an optional body
      if (schema.properties) return sometimesJunk(objectOf(schema, o, depth));
      return o.hostile ? fc.oneof(fc.jsonValue({ maxDepth: 4 }), junk) : fc.jsonValue({ maxDepth: 3 });
  }
}

function objectOf(schema: Schema, o: GenOptions, depth: number): Arbitrary<Record<string, unknown>> {
  const props = Object.entries(schema.properties ?? {});
  const required = new Set(schema.required ?? []);
  const fields = props.map(([key, sub]) =>
    fc
      .tuple(
        // required fields are almost always sent, optional ones half of the time
        fc.double({ min: 0, max: 1, noNaN: true }),
        arbitraryOf(sub, o, key, depth + 1),
      )
      .map(([p, v]) =>
        p < (required.has(key) ? (o.hostile ? 0.9 : 1) : o.hostile ? 0.5 : 0.3)
          ? ([key, v] as const)
          : undefined,
      ),
  );
  const nothing = fc.constant([] as [string, unknown][]);
  const extra =
    schema.additionalProperties === false || !o.hostile
      ? nothing
      : fc.array(fc.tuple(fc.string({ maxLength: 8 }), fc.jsonValue({ maxDepth: 2 })), { maxLength: 2 });
  const unexpected = o.hostile
    ? fc.oneof(
        { weight: 9, arbitrary: nothing },
        { weight: 1, arbitrary: fc.array(fc.tuple(fc.string({ maxLength: 8 }), junk), { maxLength: 2 }) },
      )
    : nothing;
  return fc.tuple(fc.tuple(...fields), extra, unexpected).map(([present, more, odd]) => {
    const out: Record<string, unknown> = {};
    for (const [k, v] of [...more, ...odd]) out[k] = v;
    for (const f of present) if (f) out[f[0]] = f[1];
    return out;
  });
}
