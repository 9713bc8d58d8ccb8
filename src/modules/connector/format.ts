/**
 * The catalog import file (docs/decisions/0012-catalog-import-export.md): one JSON object whose top-level keys
 * are sections, each an array of entries in the body format of the matching admin create call.
 *
 *   virtual_currency          admin-create-virtual-currency bodies           (Xsolla)
 *   virtual_items             admin-create-virtual-item bodies               (Xsolla)
 *   virtual_currency_package  admin-create-virtual-currency-package bodies   (Xsolla)
 *   bundle                    admin-create-bundle bodies                     (Xsolla)
 *   game                      admin-create-game bodies (no codes)            (Itemshop extension)
 *   groups                    admin-create-item-group bodies + `items`       (Itemshop extension)
 *   attributes                admin-create-attribute bodies + `values`       (Itemshop extension)
 *   regions                   admin-create-region bodies + source `id`       (Itemshop extension)
 *   itemshop                  metadata of an Itemshop export (`item_order`)  (Itemshop extension)
 *
 * Plural and singular spellings of the item sections are accepted (`virtual_goods`, `bundles`, …); other
 * top-level keys are ignored. Entries are applied in an order that respects their references (a package after
 * its currency, a bundle after its content, a child group after its parent) — see `orderEntries`.
 */
import { AppError } from '../../errors/app-error.js';

/** What an entry creates or updates. */
export type EntryKind =
  | 'region'
  | 'attribute'
  | 'group'
  | 'virtual_currency'
  | 'virtual_good'
  | 'virtual_currency_package'
  | 'game'
  | 'bundle';

export const ITEM_KINDS: readonly EntryKind[] = [
  'virtual_currency',
  'virtual_good',
  'virtual_currency_package',
  'game',
  'bundle',
];

/** One entry of the file, as stored in the import job. */
export interface ImportEntry {
  kind: EntryKind;
  /** The sku of an item, the external id of a group or attribute, the source id of a region; '' when absent. */
  key: string;
  /** The top-level key it came from and its position there. */
  section: string;
  index: number;
  body: unknown;
}

/** Top-level key → kind of its entries. */
export const SECTIONS: Readonly<Record<string, EntryKind>> = {
  virtual_currency: 'virtual_currency',
  virtual_currencies: 'virtual_currency',
  virtual_items: 'virtual_good',
  virtual_item: 'virtual_good',
  virtual_good: 'virtual_good',
  virtual_goods: 'virtual_good',
  virtual_currency_package: 'virtual_currency_package',
  virtual_currency_packages: 'virtual_currency_package',
  bundle: 'bundle',
  bundles: 'bundle',
  game: 'game',
  games: 'game',
  groups: 'group',
  attributes: 'attribute',
  regions: 'region',
};

/** The section an export writes for each kind. */
export const SECTION_OF: Readonly<Record<EntryKind, string>> = {
  virtual_currency: 'virtual_currency',
  virtual_good: 'virtual_items',
  virtual_currency_package: 'virtual_currency_package',
  bundle: 'bundle',
  game: 'game',
  group: 'groups',
  attribute: 'attributes',
  region: 'regions',
};

/** Key of the metadata object of an Itemshop export. */
export const METADATA_KEY = 'itemshop';

/** Metadata of an Itemshop export: skus in creation order, so an import recreates them in the same order. */
export interface ExportMetadata {
  format: 'itemshop-catalog';
  version: 1;
  project_id: number;
  /** ISO 8601. */
  exported_at: string;
  /** Skus of every item (games, not their keys) in creation order. */
  item_order: string[];
}

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

const invalidFile = (message: string) => new AppError('IMPORT_FILE_INVALID', message);

function keyOf(kind: EntryKind, body: unknown): string {
  if (!isObject(body)) return '';
  const raw =
    kind === 'region' ? body.id : kind === 'group' || kind === 'attribute' ? body.external_id : body.sku;
  return typeof raw === 'string' ? raw : typeof raw === 'number' ? String(raw) : '';
}

/**
 * Parses the text of an import file into its entries, in application order.
 * @throws AppError 422/1102 (prefix 0410) when the text is not JSON, not an object, has no known section or a
 *   section that is not an array.
 */
export function parseImportFile(text: string): ImportEntry[] {
  let doc: unknown;
  try {
    doc = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (e) {
    throw invalidFile(`The file is not valid JSON: ${(e as Error).message}`);
  }
  if (!isObject(doc))
    throw invalidFile('The file must be a JSON object with item sections such as `virtual_items`');
  const entries: ImportEntry[] = [];
  let sections = 0;
  for (const [section, value] of Object.entries(doc)) {
    const kind = SECTIONS[section];
    if (!kind) continue;
    if (!Array.isArray(value)) throw invalidFile(`The section \`${section}\` must be an array`);
    sections++;
    value.forEach((body: unknown, index) => {
      // a package listed with the bundles (its admin view is a bundle of type virtual_currency_package)
      const k =
        kind === 'bundle' && isObject(body) && body.bundle_type === 'virtual_currency_package'
          ? 'virtual_currency_package'
          : kind;
      entries.push({ kind: k, key: keyOf(k, body), section, index, body });
    });
  }
  if (sections === 0) {
    throw invalidFile(
      `The file has no item section; expected one of: ${Object.values(SECTION_OF)
        .map((s) => `\`${s}\``)
        .join(', ')}`,
    );
  }
  const meta = doc[METADATA_KEY];
  const itemOrder = isObject(meta) && Array.isArray(meta.item_order) ? meta.item_order : [];
  return orderEntries(
    entries,
    itemOrder.filter((s): s is string => typeof s === 'string'),
  );
}

const KIND_RANK: Record<EntryKind, number> = {
  region: 0,
  attribute: 1,
  group: 2,
  virtual_currency: 3,
  virtual_good: 4,
  virtual_currency_package: 5,
  game: 6,
  bundle: 7,
};

/** Skus an item entry refers to: prices in virtual currency, bundle content, prices of game keys. */
export function referencesOf(body: unknown): string[] {
  if (!isObject(body)) return [];
  const skus = (list: unknown, field = 'sku') =>
    Array.isArray(list)
      ? list.flatMap((x) => (isObject(x) && typeof x[field] === 'string' ? [x[field] as string] : []))
      : [];
  const keys = Array.isArray(body.unit_items) ? body.unit_items : [];
  return [
    ...skus(body.vc_prices),
    ...skus(body.content),
    ...keys.flatMap((k) => (isObject(k) ? skus(k.vc_prices) : [])),
  ];
}

/** Skus an entry creates: its own, and those of a game's keys. */
function ownSkus(e: ImportEntry): string[] {
  const keys = isObject(e.body) && Array.isArray(e.body.unit_items) ? e.body.unit_items : [];
  return [e.key, ...keys.flatMap((k) => (isObject(k) && typeof k.sku === 'string' ? [k.sku] : []))];
}

/** A binary min-heap of entry positions by rank. */
class Heap {
  private readonly a: number[] = [];
  constructor(private readonly less: (x: number, y: number) => boolean) {}
  get size() {
    return this.a.length;
  }
  push(v: number) {
    const a = this.a;
    a.push(v);
    for (let i = a.length - 1; i > 0;) {
      const p = (i - 1) >> 1;
      if (!this.less(a[i], a[p])) break;
      [a[i], a[p]] = [a[p], a[i]];
      i = p;
    }
  }
  pop(): number {
    const a = this.a;
    const top = a[0];
    const last = a.pop()!;
    if (a.length > 0) {
      a[0] = last;
      for (let i = 0; ;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < a.length && this.less(a[l], a[m])) m = l;
        if (r < a.length && this.less(a[r], a[m])) m = r;
        if (m === i) break;
        [a[i], a[m]] = [a[m], a[i]];
        i = m;
      }
    }
    return top;
  }
}

/**
 * The order entries are applied in: regions, attributes, groups (a parent before its children), then items so
 * that every item comes after the items of the file it refers to (currencies it is priced in, bundle content,
 * the game of a key). Among items free to go, the earliest in `itemOrder` (an Itemshop export's creation order)
 * goes first, then by kind (currencies, virtual items, packages, games, bundles) and file position. Entries
 * caught in a reference cycle keep that order; applying them reports the missing reference.
 */
export function orderEntries(entries: ImportEntry[], itemOrder: string[] = []): ImportEntry[] {
  const position = new Map<string, number>();
  itemOrder.forEach((sku, i) => {
    if (!position.has(sku)) position.set(sku, i);
  });
  // [phase (regions, attributes, groups, items), position in itemOrder, kind, position in the section]
  const rank = (e: ImportEntry): number[] => {
    const item = ITEM_KINDS.includes(e.kind);
    return [
      item ? 3 : KIND_RANK[e.kind],
      item ? (position.get(e.key) ?? Number.MAX_SAFE_INTEGER) : 0,
      KIND_RANK[e.kind],
      e.index,
    ];
  };
  const ranks = entries.map(rank);
  const less = (x: number, y: number) => {
    for (let k = 0; k < 4; k++) if (ranks[x][k] !== ranks[y][k]) return ranks[x][k] < ranks[y][k];
    return x < y;
  };

  // who creates each sku / group, and what each entry waits for
  const creator = new Map<string, number>();
  entries.forEach((e, i) => {
    if (e.kind === 'group') {
      if (!creator.has(`group:${e.key}`)) creator.set(`group:${e.key}`, i);
    } else if (ITEM_KINDS.includes(e.kind)) {
      for (const sku of ownSkus(e)) if (sku && !creator.has(sku)) creator.set(sku, i);
    }
  });
  const waitsFor = entries.map((e, i) => {
    let refs: string[] = [];
    if (e.kind === 'group' && isObject(e.body) && typeof e.body.parent_external_id === 'string')
      refs = [`group:${e.body.parent_external_id}`];
    else if (ITEM_KINDS.includes(e.kind)) refs = referencesOf(e.body);
    return [
      ...new Set(refs.map((r) => creator.get(r)).filter((c): c is number => c !== undefined && c !== i)),
    ];
  });
  const blocking = entries.map(() => 0);
  const dependents: number[][] = entries.map(() => []);
  waitsFor.forEach((deps, i) => {
    blocking[i] = deps.length;
    for (const d of deps) dependents[d].push(i);
  });

  const ready = new Heap(less);
  const waiting = new Set<number>();
  entries.forEach((_e, i) => (blocking[i] === 0 ? ready.push(i) : waiting.add(i)));
  const out: ImportEntry[] = [];
  while (out.length < entries.length) {
    if (ready.size === 0) {
      // a cycle: release the first waiting entry in rank order
      const next = [...waiting].reduce((m, i) => (less(i, m) ? i : m));
      blocking[next] = 0;
      ready.push(next);
    }
    const i = ready.pop();
    waiting.delete(i);
    out.push(entries[i]);
    for (const d of dependents[i]) if (--blocking[d] === 0 && waiting.has(d)) ready.push(d);
  }
  return out;
}
