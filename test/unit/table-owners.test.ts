/**
 * One owner per table (issue 14 §5): every table of the schema is read and written by one module's repository (or
 * table group); other modules go through the owner's exported functions. This test reads the SQL of `src/` (Kysely
 * calls and SQL text, comments left out) and fails on a table touched outside its owner. `items` is the catalog's
 * key table: any repository may read it (to scope an item_id by project, or read its sku and type); only its owner
 * writes it.
 *
 * KNOWN lists what is still read outside its owner, each with why; it may only shrink: a new read outside the
 * owner fails, and so does an entry that no longer happens (remove it).
 */
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const SRC = fileURLToPath(new URL('../../src/', import.meta.url));

/** table → the path (under src/) of its owner: a module folder or one file. */
const OWNERS: Record<string, string> = {
  api_keys: 'modules/tenancy/',
  merchants: 'modules/tenancy/',
  projects: 'modules/tenancy/',
  attributes: 'modules/attributes/',
  attribute_values: 'modules/attributes/',
  balances: 'modules/inventory/',
  inventory_items: 'modules/inventory/',
  inventory_grants: 'modules/inventory/',
  carts: 'modules/cart/',
  cart_items: 'modules/cart/',
  catalog_changes: 'modules/catalog/changes-repository.ts',
  entitlements: 'modules/entitlements/',
  game_codes: 'modules/games/',
  game_code_sessions: 'modules/games/',
  idempotency_keys: 'db/unit-of-work.ts',
  import_jobs: 'modules/connector/',
  items: 'modules/items/',
  item_prices: 'modules/items/',
  item_vc_prices: 'modules/items/',
  item_periods: 'modules/items/',
  item_attribute_values: 'modules/items/',
  bundle_contents: 'modules/items/',
  item_groups: 'modules/groups/',
  item_group_links: 'modules/groups/',
  regions: 'modules/regions/',
  item_regions: 'modules/regions/',
  item_limits: 'modules/limits/',
  limit_reservations: 'modules/limits/',
  user_item_limits: 'modules/limits/',
  pre_order_limits: 'modules/pre-orders/',
  orders: 'modules/orders/',
  order_items: 'modules/orders/',
  order_events: 'modules/orders/',
  payment_tokens: 'modules/orders/',
  webhook_settings: 'modules/webhooks/',
  webhook_outbox: 'modules/webhooks/',
  webhook_attempts: 'modules/webhooks/',
};

/** `file table`: still touched outside its owner, and why. Shrinks only. */
const KNOWN: Record<string, string> = {
  'modules/items/repository.ts attributes': 'the item record loads its attribute names (catalog source)',
  'modules/items/repository.ts attribute_values': 'the item record loads its attribute values (catalog source)',
  'modules/items/repository.ts item_groups': 'the item record loads and resolves its groups (catalog source, writes)',
  'modules/items/repository.ts item_group_links': 'an item write sets its group links with the item record',
  'modules/items/repository.ts item_regions': 'an item write sets its regions with the item record',
  'modules/items/repository.ts item_limits': 'an item write sets its limits configuration with the item record',
  'modules/connector/repository.ts item_groups': 'an import resolves and creates the groups of its entries',
  'modules/connector/repository.ts item_group_links': 'an import links its entries to groups',
  'modules/inventory/repository.ts bundle_contents': 'delivery expands bundles inside the order transaction',
  'modules/webhooks/repository.ts bundle_contents': 'a webhook lists the content of bundles it names',
  'modules/games/repository.ts regions': 'game codes are filtered by region inside the code claim',
  'modules/limits/repository.ts pre_order_limits': 'reservations take pre-order quantity in the same statement set',
  'modules/orders/repository.ts projects': "notifications read the order's merchant id with the order row",
};

/** Where each statement of `source` touches a table: reads (FROM/JOIN) and writes (INSERT/UPDATE/DELETE). */
function tablesTouched(source: string, tables: Set<string>): { table: string; write: boolean }[] {
  const code = source.replace(/\/\*[\s\S]*?\*\//g, '').replace(/^\s*\/\/.*$/gm, '');
  const found: { table: string; write: boolean }[] = [];
  const patterns: [RegExp, boolean][] = [
    [/\b(?:insertInto|updateTable|deleteFrom)\(\s*'(\w+)/g, true],
    [/\b(?:UPDATE|INSERT INTO|DELETE FROM)\s+(\w+)/g, true],
    [/\b(?:selectFrom|innerJoin|leftJoin|rightJoin|fullJoin)\(\s*'(\w+)/g, false],
    [/\b(?:FROM|JOIN|USING)\s+(\w+)/g, false],
  ];
  for (const [re, write] of patterns)
    for (const m of code.matchAll(re)) if (tables.has(m[1])) found.push({ table: m[1], write });
  return found;
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return path.endsWith('.ts') ? [path] : [];
  });
}

describe('table owners', () => {
  const generated = readFileSync(join(SRC, 'db', 'types.ts'), 'utf8');
  const dbBlock = /export interface GeneratedDB \{([\s\S]*?)\n\}/.exec(generated)![1];
  const tables = new Set([...dbBlock.matchAll(/^ {2}(\w+):/gm)].map((m) => m[1]));

  it('names an owner for every table of the schema', () => {
    expect([...tables].filter((t) => !(t in OWNERS))).toEqual([]);
    expect(Object.keys(OWNERS).filter((t) => !tables.has(t))).toEqual([]);
  });

  it('finds every table touched only by its owner (items: read by any, written by its owner), KNOWN aside', () => {
    const outside = new Set<string>();
    for (const path of sourceFiles(SRC)) {
      const file = relative(SRC, path);
      if (file.startsWith('db/migrations/') || file === 'db/types.ts') continue;
      for (const { table, write } of tablesTouched(readFileSync(path, 'utf8'), tables)) {
        if (file.startsWith(OWNERS[table])) continue;
        if (table === 'items' && !write) continue;
        outside.add(`${file} ${table}`);
      }
    }
    expect([...outside].filter((k) => !(k in KNOWN)).sort(), 'touched outside the owner').toEqual([]);
    expect(
      Object.keys(KNOWN).filter((k) => !outside.has(k)),
      'KNOWN entries that no longer happen (remove them)',
    ).toEqual([]);
  });
});
