/**
 * What the official SDKs' decoders require (docs/compatibility.md, ADR 0025): the two tables of that page are read
 * here, a store holding every item type is built (sdk-store.ts), a buyer goes through every purchase path, and every
 * answer an SDK decodes is checked against every row — the field is present with the JSON type the row gives (null
 * only where written). A row (per operation it names) that no answer reaches fails, so the page and the store cannot
 * drift apart.
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { testApp } from '../helpers/app.js';
import { buildSdkStore, type SdkStore } from './sdk-store.js';

const DOC = new URL('../../docs/compatibility.md', import.meta.url);

/** One row of a table of docs/compatibility.md. */
interface Row {
  table: string;
  operations: string[];
  /** Path in the body: names joined by `.`, `[]` for array elements, `$` for the body. */
  field: string;
  /** Allowed JSON types (`string`, `integer`, `number`, `boolean`, `object`, `array`, `null`). */
  types: string[];
  /** Checked only on answers requested with every additional field. */
  withFields: boolean;
  text: string;
}

const ticked = (cell: string) => [...cell.matchAll(/`([^`]+)`/g)].map((m) => m[1]);

/** The rows of the markdown table under `## <heading>`, taking the types from column `typeColumn`. */
function tableRows(md: string, heading: string, typeColumn: string): Row[] {
  const lines = md.split('\n');
  const start = lines.findIndex((l) => l.trim() === `## ${heading}`);
  if (start < 0) throw new Error(`docs/compatibility.md has no "## ${heading}"`);
  const table: string[] = [];
  for (const line of lines.slice(start + 1)) {
    if (line.startsWith('#')) break;
    if (line.startsWith('|')) table.push(line);
    else if (table.length > 0) break;
  }
  const cells = (line: string) =>
    line
      .split('|')
      .slice(1, -1)
      .map((c) => c.trim());
  const header = cells(table[0]);
  const col = (name: string) => {
    const i = header.indexOf(name);
    if (i < 0) throw new Error(`table "${heading}" has no column "${name}"`);
    return i;
  };
  const [op, field, type] = [col('operation'), col('field'), col(typeColumn)];
  return table.slice(2).map((line) => {
    const c = cells(line);
    const row: Row = {
      table: heading,
      operations: ticked(c[op]),
      field: ticked(c[field])[0] ?? '',
      types: c[type].split(/\s+or\s+/).map((t) => t.trim()),
      withFields: c[field].includes('additional_fields'),
      text: line,
    };
    if (row.operations.length === 0 || !row.field) throw new Error(`unreadable row: ${line}`);
    return row;
  });
}

const TYPES: Record<string, (v: unknown) => boolean> = {
  string: (v) => typeof v === 'string',
  integer: (v) => Number.isInteger(v),
  number: (v) => typeof v === 'number',
  boolean: (v) => typeof v === 'boolean',
  object: (v) => typeof v === 'object' && v !== null && !Array.isArray(v),
  array: (v) => Array.isArray(v),
  null: (v) => v === null,
};

interface Reached {
  where: string;
  present: boolean;
  value: unknown;
}

/**
 * The places `path` reaches in `body`. A null or missing value on the way ends that branch (the row does not apply
 * there); a missing last key is reached and reported as absent.
 */
export function reach(body: unknown, path: string): Reached[] {
  if (path === '$') return [{ where: '$', present: true, value: body }];
  const tokens = path.split('.');
  let nodes: { value: unknown; where: string }[] = [{ value: body, where: '$' }];
  const out: Reached[] = [];
  tokens.forEach((token, i) => {
    const last = i === tokens.length - 1;
    const each = token.endsWith('[]');
    const name = each ? token.slice(0, -2) : token;
    const next: typeof nodes = [];
    for (const n of nodes) {
      if (typeof n.value !== 'object' || n.value === null || Array.isArray(n.value)) continue;
      const obj = n.value as Record<string, unknown>;
      const where = `${n.where}.${name}`;
      if (last && !each) {
        out.push({ where, present: name in obj, value: obj[name] });
        continue;
      }
      const v = obj[name];
      if (!each) next.push({ value: v, where });
      else if (Array.isArray(v)) v.forEach((e, k) => next.push({ value: e, where: `${where}[${k}]` }));
    }
    nodes = next;
  });
  if (tokens[tokens.length - 1].endsWith('[]')) return nodes.map((n) => ({ ...n, present: true }));
  return out;
}

const ALL_FIELDS = ['media_list', 'order', 'long_description', 'custom_attributes']
  .map((f) => `additional_fields[]=${f}`)
  .join('&');

interface Answer {
  label: string;
  rich: boolean;
  body: unknown;
}

let app: FastifyInstance;
let store: SdkStore;
const answers = new Map<string, Answer[]>();
const md = readFileSync(DOC, 'utf8');
const required = tableRows(md, 'Required fields', 'JSON type');
const disagreements = tableRows(
  md,
  'Where an SDK model disagrees with the spec or the real service',
  'Itemshop sends',
);

/** GETs (as the buyer, then anonymously for catalog reads) and keeps the answers under `operation`. */
async function read(operation: string, path: string, opts: { anon?: boolean; rich?: boolean } = {}) {
  const list = answers.get(operation) ?? [];
  answers.set(operation, list);
  const variants: [string, boolean][] = [[path, false]];
  if (opts.rich) variants.push([`${path}${path.includes('?') ? '&' : '?'}${ALL_FIELDS}`, true]);
  for (const [p, rich] of variants) {
    const calls = [store.user('GET', p), ...(opts.anon ? [store.anon(p)] : [])];
    for (const res of await Promise.all(calls)) {
      expect(res.statusCode, `${operation} ${p}: ${res.body}`).toBe(200);
      list.push({ label: `${operation} GET ${p}`, rich, body: res.json() });
    }
  }
}

beforeAll(async () => {
  app = await testApp();
  store = await buildSdkStore(app);
  for (const [operation, responses] of Object.entries(store.writes)) {
    answers.set(
      operation,
      responses.map((r, i) => ({ label: `${operation} #${i + 1}`, rich: false, body: r.json() })),
    );
  }
  const catalog = { anon: true, rich: true };
  await read('get-virtual-items', '/items/virtual_items', catalog);
  await read('get-virtual-items-group', '/items/virtual_items/group/weapons', catalog);
  await read('get-all-virtual-items', '/items/virtual_items/all', { anon: true });
  await read('get-virtual-currency', '/items/virtual_currency', catalog);
  await read('get-virtual-currency-package', '/items/virtual_currency/package', catalog);
  await read('get-sellable-items', '/items', catalog);
  await read('get-bundle-list', '/items/bundle', catalog);
  for (const sku of ['chest', 'starter']) await read('get-bundle', `/items/bundle/sku/${sku}`, catalog);
  await read('get-games-list', '/items/game', catalog);
  await read('get-games-group', '/items/game/group/weapons', catalog);
  await read('get-game-by-sku', '/items/game/sku/quest', catalog);
  for (const sku of ['quest_steam', 'quest_gog'])
    await read('get-game-key-by-sku', `/items/game/key/sku/${sku}`, catalog);
  await read('get-game-keys-group', '/items/game/key/group/weapons', catalog);
  await read('get-drm-list', '/items/game/drm', { anon: true });
  await read('get-item-groups', '/items/groups', { anon: true });
  await read('get-user-cart', '/cart');
  await read('get-cart-by-id', `/cart/${store.cartId}`);
  for (const id of Object.values(store.orders)) await read('get-order', `/order/${id}`);
  await read('get-user-inventory', '/user/inventory/items');
  await read('get-user-virtual-balance', '/user/virtual_currency_balance');
  await read('get-user-time-limited-items', '/user/time_limited_items');
  await read('get-user-games', '/entitlement');
});
afterAll(async () => {
  await app.close();
});

describe('docs/compatibility.md', () => {
  it('has readable tables', () => {
    expect(required.length).toBeGreaterThan(100);
    expect(disagreements.length).toBeGreaterThan(10);
    for (const row of [...required, ...disagreements]) {
      for (const t of row.types) expect(Object.keys(TYPES), row.text).toContain(t);
      expect(row.field, row.text).toMatch(/^(\$|[a-z_]+(\[\])?(\.[a-z_]+(\[\])?)*)$/);
    }
  });

  it('names only operations whose answers the test reads', () => {
    const named = new Set([...required, ...disagreements].flatMap((r) => r.operations));
    const missing = [...named].filter((op) => !answers.has(op) || answers.get(op)!.length === 0);
    expect(missing).toEqual([]);
  });

  for (const [title, rows] of [
    ['every answer an SDK decodes carries each required field with its JSON type', required],
    ['where an SDK disagrees, Itemshop sends what the page says', disagreements],
  ] as const) {
    it(title, () => {
      const problems: string[] = [];
      for (const row of rows) {
        for (const op of row.operations) {
          let reached = 0;
          for (const a of answers.get(op) ?? []) {
            if (row.withFields && !a.rich) continue;
            for (const r of reach(a.body, row.field)) {
              reached += 1;
              if (!r.present) problems.push(`${a.label}: ${r.where} is missing (${row.types.join(' or ')})`);
              else if (!row.types.some((t) => TYPES[t](r.value)))
                problems.push(
                  `${a.label}: ${r.where} = ${JSON.stringify(r.value)} is not ${row.types.join(' or ')}`,
                );
            }
          }
          if (reached === 0)
            problems.push(`${op} ${row.field}: no answer reaches this row (store too small?)`);
        }
      }
      expect(problems).toEqual([]);
    });
  }
});

describe('the path walker', () => {
  it('reaches array elements, skips null parents and reports a missing last key', () => {
    const body = { items: [{ a: { b: 1 } }, { a: null }, { a: {} }], x: [1, 2] };
    expect(reach(body, 'items[].a.b')).toEqual([
      { where: '$.items[0].a.b', present: true, value: 1 },
      { where: '$.items[2].a.b', present: false, value: undefined },
    ]);
    expect(reach(body, 'x[]').map((r) => r.value)).toEqual([1, 2]);
    expect(reach(body, '$')).toEqual([{ where: '$', present: true, value: body }]);
    expect(reach(body, 'nope[].a')).toEqual([]);
  });
});
