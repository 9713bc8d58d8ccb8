/**
 * Errata of the July 2025 spec: the few places where its response schemas contradict stronger evidence —
 * the newer (2026) Catalog API pages (spec/seed-details.md, which win for the operations they detail), the
 * real captured catalog response (spec/real-response-get-items-catalog-project228547.json) or observed
 * behaviour recorded in spec/NOTES.md. Each erratum is a transformation of the resolved, converted schema,
 * names the operations and fields it touches and its evidence, and must change at least one schema node of
 * every operation it lists (a stale erratum fails loudly instead of silently doing nothing).
 * docs/decisions/0004-contract-errata.md explains them. Never add an erratum to make a test pass when the
 * server is wrong.
 */

/** A JSON Schema node (after OpenAPI → JSON Schema conversion). */
export type JsonSchema = boolean | Record<string, unknown>;
type Node = Record<string, unknown>;

export interface Erratum {
  id: string;
  /** operationIds whose responses are patched. */
  operations: readonly string[];
  /** HTTP statuses patched. */
  statuses: readonly number[];
  /** Fields touched, as paths in an item view (`groups[].name` = `name` of every element of `groups`). */
  fields: readonly string[];
  /** What is changed. */
  change: string;
  /** File + what it shows. */
  evidence: string;
  /** Patches `schema` (the response of `operationId`) in place; returns how many nodes were changed. */
  apply(schema: Node, operationId: string): number;
}

const isNode = (v: unknown): v is Node => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The schema itself plus the branches of its composites (a field may be declared inside allOf/anyOf). */
function withBranches(node: Node): Node[] {
  const out = [node];
  for (const k of ['allOf', 'anyOf', 'oneOf']) {
    const list = node[k];
    if (Array.isArray(list)) for (const b of list) if (isNode(b)) out.push(...withBranches(b));
  }
  return out;
}

/**
 * Schema nodes at `path` below `root`: segments are property names, `[]` steps into array items
 * (`items[].groups[].name`). Composite branches are searched at every step.
 */
export function select(root: Node, path: string): Node[] {
  const segments = path.split(/\.|(?=\[\])/).filter(Boolean);
  let nodes = [root];
  for (const seg of segments) {
    const next: Node[] = [];
    for (const n of nodes.flatMap(withBranches)) {
      const child = seg === '[]' ? n.items : isNode(n.properties) ? n.properties[seg] : undefined;
      if (isNode(child)) next.push(child);
    }
    nodes = next;
  }
  return nodes;
}

/** Replaces the content of `node` with `replacement` (in place, so parents keep their reference). */
function replace(node: Node, replacement: Node) {
  for (const k of Object.keys(node)) delete node[k];
  Object.assign(node, replacement);
}

/** Whether `node` already accepts null. */
const acceptsNull = (node: Node) =>
  node.type === 'null' ||
  (Array.isArray(node.type) && node.type.includes('null')) ||
  (Array.isArray(node.anyOf) && node.anyOf.some((b) => isNode(b) && b.type === 'null'));

/** Lets `node` also be null; false when it already did. */
function addNull(node: Node): boolean {
  if (acceptsNull(node)) return false;
  if (typeof node.type === 'string') node.type = [node.type, 'null'];
  else if (Array.isArray(node.type)) node.type = [...node.type, 'null'];
  else replace(node, { anyOf: [{ type: 'null' }, { ...node }] });
  if (Array.isArray(node.enum)) node.enum = [...node.enum, null];
  return true;
}

/** Whether `node` describes a string (maybe nullable) and nothing else. */
const isStringSchema = (node: Node) =>
  node.type === 'string' ||
  (Array.isArray(node.type) && node.type.every((t) => t === 'string' || t === 'null'));

/** Makes a localization-object node a plain string (string or null when `nullable`); false when unchanged. */
const toLocalizedString =
  (nullable: boolean) =>
  (node: Node): boolean => {
    if (isStringSchema(node)) return nullable ? addNull(node) : false;
    replace(node, { type: nullable ? ['string', 'null'] : 'string' });
    return true;
  };

/** Adds `values` to an `enum`; false when all were there. */
const addEnumValues =
  (values: readonly string[]) =>
  (node: Node): boolean => {
    if (!Array.isArray(node.enum)) return false;
    const missing = values.filter((v) => !(node.enum as unknown[]).includes(v));
    node.enum = [...node.enum, ...missing];
    return missing.length > 0;
  };

/** Client catalog operations answering a page `{has_more, items[]}` of item views. */
const CATALOG_PAGES = [
  'get-virtual-items',
  'get-virtual-items-group',
  'get-virtual-currency',
  'get-virtual-currency-package',
  'get-sellable-items',
  'get-sellable-items-group',
  'get-bundle-list',
  'get-bundle-list-in-group',
];
/** Admin reads answering `{items[]}` of admin item views. */
const ADMIN_PAGES = [
  'admin-get-virtual-items-list',
  'admin-get-virtual-items-list-by-group-external-id',
  'admin-get-virtual-items-list-by-group-id',
  'admin-get-virtual-currencies-list',
  'admin-get-virtual-currency-packages-list',
];
/** Admin reads answering one admin item view. */
const ADMIN_SINGLES = [
  'admin-get-virtual-item',
  'admin-get-virtual-currency',
  'admin-get-virtual-currency-package',
];

/** Paths of `fields` of the item views of `operationId`'s response: below `items[]` for pages, the root for single items. */
function itemPaths(operationId: string, fields: readonly string[]): string[] {
  const page = CATALOG_PAGES.includes(operationId) || ADMIN_PAGES.includes(operationId);
  return page ? fields.map((f) => `items[].${f}`) : [...fields];
}

/** `fields` → `fn` on each node found; the count of changed nodes. */
function patchFields(
  schema: Node,
  operationId: string,
  rules: [readonly string[], (n: Node) => boolean][],
): number {
  let count = 0;
  for (const [fields, fn] of rules) {
    for (const p of itemPaths(operationId, fields)) for (const n of select(schema, p)) if (fn(n)) count += 1;
  }
  return count;
}

const SEEDS = 'spec/seed-details.md (the 2026 pages; they win over the July spec for G, H, I)';
const CAPTURE =
  'spec/real-response-get-items-catalog-project228547.json (real answer of GET /v2/project/{project_id}/items)';
const NOTES = 'spec/NOTES.md';

const LOCALIZED_STRINGS = [
  'name',
  'groups[].name',
  'attributes[].name',
  'attributes[].values[].value',
  'content[].name',
  'content[].groups[].name',
];
const LOCALIZED_NULLABLE = ['description', 'long_description', 'content[].description'];

/**
 * Every erratum lists exactly the operations whose July schema it changes (checked: an erratum that changes
 * nothing in an operation it lists throws).
 */
export const errata: readonly Erratum[] = [
  {
    id: 'catalog-localized-strings',
    operations: [
      'get-virtual-items',
      'get-virtual-items-group',
      'get-virtual-items-sku',
      'get-virtual-currency',
      'get-virtual-currency-sku',
      'get-virtual-currency-package',
      'get-virtual-currency-package-sku',
      'get-sellable-items',
      'get-sellable-items-group',
      'get-sellable-item-by-id',
      'get-sellable-item-by-sku',
      'get-bundle-list',
      'get-bundle-list-in-group',
      'get-bundle',
    ],
    statuses: [200],
    fields: [...LOCALIZED_STRINGS, ...LOCALIZED_NULLABLE],
    change:
      'localization objects become the plain string of the requested locale; `description`, `long_description` are string or null',
    evidence:
      `${SEEDS} §2.2.3 (client attributes: \`name\` and \`values[].value\` are strings), §2.11 (client \`groups[].name\` is a string), ` +
      `§7.1 and appendices X2/X3 (G/H item \`name\`/\`description\` are strings; so are X2's bundle \`content[].groups[].name\`); ${CAPTURE}: \`"name": "메소"\`, \`"description": null\`; ` +
      `${NOTES}: "Localized fields are returned as plain strings in the requested locale". The July spec still types some of them ` +
      "as localization objects (e.g. get-virtual-items `name`, every catalog read's `attributes[].name`).",
    apply: (schema, op) =>
      patchFields(schema, op, [
        [LOCALIZED_STRINGS, toLocalizedString(false)],
        [LOCALIZED_NULLABLE, toLocalizedString(true)],
      ]),
  },
  {
    id: 'catalog-price-nullable',
    operations: [
      'get-virtual-items-group',
      'get-virtual-currency-package',
      'get-virtual-currency-package-sku',
      'get-sellable-items',
      'get-sellable-items-group',
      'get-sellable-item-by-id',
      'get-sellable-item-by-sku',
    ],
    statuses: [200],
    fields: ['price', 'content[].price'],
    change: '`price` (and bundle `content[].price`) may be null',
    evidence:
      `${NOTES}: "An item priced only in virtual currency has \`price: null\`"; ${CAPTURE}: items test_item2 and test_bundle ` +
      'have `"price": null`. The July spec already marks `price` nullable in get-virtual-items, get-virtual-items-sku and the ' +
      'virtual currency reads, not in these.',
    apply: (schema, op) => patchFields(schema, op, [[['price', 'content[].price'], addNull]]),
  },
  {
    id: 'catalog-image-description-nullable',
    operations: [
      'get-virtual-items',
      'get-virtual-items-group',
      'get-virtual-items-sku',
      'get-virtual-currency',
      'get-virtual-currency-sku',
      'get-virtual-currency-package',
      'get-virtual-currency-package-sku',
      'get-sellable-items',
      'get-sellable-items-group',
      'get-sellable-item-by-id',
      'get-sellable-item-by-sku',
      'get-bundle-list',
      'get-bundle-list-in-group',
      'get-bundle',
    ],
    statuses: [200],
    fields: [
      'image_url',
      'virtual_prices[].image_url',
      'virtual_prices[].description',
      'content[].image_url',
      'content[].virtual_prices[].image_url',
      'content[].virtual_prices[].description',
    ],
    change:
      '`image_url` of an item without an image (a virtual currency), and `image_url`/`description` of `virtual_prices[]` and `content[]` entries, may be null',
    evidence:
      `${CAPTURE}: the currency WMP has \`"image_url": null, "description": null\`; every \`virtual_prices[]\` entry paying ` +
      `with it has \`"image_url": null, "description": null\` (so do the \`virtual_prices[]\` of bundle \`content[]\` ` +
      `entries, the same item views); bundle \`content[]\` entries have \`"description": null\`. ` +
      `${NOTES}: "a currency may have \`image_url: null\` and \`description: null\`".`,
    apply: (schema, op) =>
      patchFields(schema, op, [
        [
          [
            'image_url',
            'virtual_prices[].image_url',
            'virtual_prices[].description',
            'content[].image_url',
            'content[].virtual_prices[].image_url',
            'content[].virtual_prices[].description',
          ],
          addNull,
        ],
      ]),
  },
  {
    id: 'catalog-recurrent-interval-daily',
    operations: ['get-virtual-items', 'get-virtual-items-sku'],
    statuses: [200],
    fields: ['limits.per_user.recurrent_schedule.interval_type'],
    change:
      '`limits.per_user.recurrent_schedule.interval_type` also allows `daily` where the July spec lists only `weekly`, `monthly`',
    evidence:
      'The July spec lists `daily`, `weekly`, `monthly` for this same field in the other catalog reads (get-sellable-items, ' +
      `get-virtual-currency-package, …) and in every admin view; ${SEEDS} §2.5/§2.6: \`daily\` is the one recurrent interval ` +
      'the docs specify in full.',
    apply: (schema, op) =>
      patchFields(schema, op, [
        [['limits.per_user.recurrent_schedule.interval_type'], addEnumValues(['daily'])],
      ]),
  },
  {
    id: 'catalog-recurrent-schedule-nullable',
    operations: [
      'get-virtual-items-group',
      'get-virtual-currency',
      'get-virtual-currency-sku',
      'get-virtual-currency-package',
      'get-virtual-currency-package-sku',
      'get-sellable-items',
      'get-sellable-items-group',
      'get-sellable-item-by-id',
      'get-sellable-item-by-sku',
      'get-bundle-list',
      'get-bundle-list-in-group',
      'get-bundle',
    ],
    statuses: [200],
    fields: ['limits.per_user.recurrent_schedule'],
    change: '`limits.per_user.recurrent_schedule` may be null (a per-user limit without resets)',
    evidence:
      `${SEEDS} §2.8 (catalog limits, operation I get-sellable-item-by-id): \`limits.per_user.recurrent_schedule\` is ` +
      '"object or null"; the July spec itself marks it nullable in get-virtual-items and get-virtual-items-sku.',
    apply: (schema, op) =>
      patchFields(schema, op, [
        [['limits.per_user.recurrent_schedule', 'content[].limits.per_user.recurrent_schedule'], addNull],
      ]),
  },
  {
    id: 'admin-image-url-nullable',
    operations: [...ADMIN_PAGES, ...ADMIN_SINGLES],
    statuses: [200],
    fields: ['image_url'],
    change: 'admin `image_url` may be null for an item created without an image',
    evidence:
      `Inferred: \`image_url\` is optional in every admin create/update body (July spec; ${SEEDS} §3 A and C), and ${CAPTURE} ` +
      'shows the real service keeping `"image_url": null` for such a currency (the catalog only substitutes default images ' +
      'for virtual goods and bundles). No source shows the admin API inventing a URL; the July admin schemas say string and ' +
      'their examples never show an item without an image.',
    apply: (schema, op) => patchFields(schema, op, [[['image_url'], addNull]]),
  },
  {
    id: 'game-key-release-date-nullable',
    operations: ['get-game-key-by-sku'],
    statuses: [200],
    fields: ['release_date'],
    change: '`release_date` of a game key without pre-order settings is null',
    evidence:
      `${SEEDS} §4 D (Appendix X1: the second key of the example has \`"release_date": null\`) and F ` +
      '(`unit_items[].release_date` "string or null"), §10.2 #20 (E alone types it as a non-null string). The July spec ' +
      'itself types it "string or null" in get-game-keys-group, get-games-list and get-game-by-sku.',
    apply: (schema, op) => patchFields(schema, op, [[['release_date'], addNull]]),
  },
  {
    id: 'import-status-error-nullable',
    operations: ['get-items-import-status'],
    statuses: [200],
    fields: ['error', 'error_code'],
    change: '`error` and `error_code` are null when the import has no general error',
    evidence:
      "The July spec's own example of this response (components.responses.200-items-import-status-model) shows " +
      '`"error": null, "error_code": null` for an import whose entries failed one by one; its schema types both as ' +
      'plain strings.',
    apply: (schema, op) => patchFields(schema, op, [[['error', 'error_code'], addNull]]),
  },
];

/**
 * Applies the errata of (`operationId`, `status`) to `schema` in place; returns their ids.
 * @throws when an erratum listing this pair changes nothing (the spec moved; the erratum is stale).
 */
export function applyErrata(operationId: string, status: number, schema: Node): string[] {
  const applied: string[] = [];
  for (const e of errata) {
    if (!e.operations.includes(operationId) || !e.statuses.includes(status)) continue;
    const changed = e.apply(schema, operationId);
    if (changed === 0)
      throw new Error(
        `erratum ${e.id} changes nothing in ${operationId} ${status}: update test/contract/errata.ts`,
      );
    applied.push(e.id);
  }
  return applied;
}
