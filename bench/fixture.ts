/**
 * Deterministic bench fixture (issue 7 item 1): one project with N virtual items written straight into the
 * database in batches (the admin API would take minutes for 100k items; the rows are the ones the admin API
 * writes: see src/modules/items/repository.ts).
 *
 * - N virtual goods `item_000000…`: names and descriptions in 5 locales (en, de, fr, es, ru), an image URL,
 *   consumable; prices in 3 currencies (USD default, EUR for DE, GBP for GB) as decimal strings; every item in
 *   one of 20 groups; 10% with a per-user limit (5); 5% also priced in the virtual currency `bench_gold`.
 * - `bench_gold` (virtual currency), `bench_flash` (a virtual good with a global stock: the flash sale W4),
 *   `bench_game` with its DRM-free key `bench_game_key` and a pool of `keyPool` codes (W5).
 * - `users` user JWTs (`user_00000…`), HS256 with the project's secret, valid 7 days.
 *
 * The same seed gives the same catalog (ids aside): prices come from a seeded PRNG, `order` is the item index.
 */
import { sql } from 'kysely';
import type { Database } from '../src/db/index.js';
import { createServices } from '../src/services.js';
import { loadConfig } from '../src/config.js';
import { gamesRepository } from '../src/modules/games/repository.js';
import { mintToken } from './jwt.js';

export interface FixtureSpec {
  /** Number of catalog virtual items. */
  items: number;
  /** Number of users with a pre-minted JWT. */
  users: number;
  /** Codes in the game key's pool (W5). */
  keyPool: number;
  /** Stock of the flash-sale item (W4). */
  flashStock: number;
  seed: number;
}

export interface Fixture {
  spec: FixtureSpec;
  merchantId: number;
  projectId: number;
  /** Project API key (`project_id:key` Basic auth). */
  apiKey: string;
  jwtSecret: string;
  /** SKUs of the N catalog items in catalog order. */
  skus: string[];
  /** SKUs priced in `vcSku` too. */
  vcItemSkus: string[];
  /** SKUs with a per-user limit. */
  limitedSkus: string[];
  groups: string[];
  vcSku: string;
  flashSku: string;
  gameSku: string;
  keySku: string;
  /** User JWTs, index = user number. */
  tokens: string[];
  /** Codes of the key pool. */
  codes: string[];
  /** Seconds spent generating. */
  seconds: number;
}

export const LOCALES = ['en', 'de', 'fr', 'es', 'ru'] as const;
const WORD: Record<(typeof LOCALES)[number], [string, string]> = {
  en: ['Item', 'A sturdy piece of gear for brave adventurers, number'],
  de: ['Gegenstand', 'Ein robustes Ausrüstungsteil für mutige Abenteurer, Nummer'],
  fr: ['Objet', 'Un équipement solide pour les aventuriers courageux, numéro'],
  es: ['Objeto', 'Un equipo resistente para aventureros valientes, número'],
  ru: ['Предмет', 'Прочное снаряжение для смелых искателей приключений, номер'],
};

/** mulberry32: a tiny seeded PRNG (deterministic fixtures and request sets). */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export const skuOf = (i: number) => `item_${String(i).padStart(6, '0')}`;

const BATCH = 2000;

/** Writes the fixture into `database` (already migrated) and returns what the scenarios need. */
export async function generateFixture(database: Database, spec: FixtureSpec): Promise<Fixture> {
  const started = performance.now();
  const { db } = database;
  const services = createServices(loadConfig({}, { logLevel: 'silent' }), database);
  const { tenancy } = services;
  const merchantId = await tenancy.createMerchant('bench merchant');
  const projectId = await tenancy.createProject(merchantId, 'bench project');
  const apiKey = await tenancy.createApiKey(merchantId, projectId, 'bench');
  const project = (await tenancy.getProject(projectId))!;
  const rnd = prng(spec.seed);

  const groups = Array.from({ length: 20 }, (_, g) => `group_${String(g).padStart(2, '0')}`);
  const groupIds: number[] = [];
  for (const [g, externalId] of groups.entries()) {
    const row = await db
      .insertInto('item_groups')
      .values({
        project_id: projectId,
        external_id: externalId,
        parent_group_id: null,
        name: JSON.stringify(Object.fromEntries(LOCALES.map((l) => [l, `${externalId} (${l})`]))),
        description: null,
        image_url: null,
        order: g + 1,
      })
      .returning('group_id')
      .executeTakeFirstOrThrow();
    groupIds.push(row.group_id);
  }

  // The virtual currency (W3) first: the 5% VC prices point at it.
  const vcSku = 'bench_gold';
  const { rows: vcRows } = await sql<{ item_id: number }>`
    INSERT INTO items (project_id, sku, type, name, is_enabled, is_show_in_store, is_free,
      is_paid_randomized_reward, "order", is_hard, inventory_options)
    VALUES (${projectId}, ${vcSku}, 'virtual_currency', ${JSON.stringify({ en: 'Gold' })}::jsonb, true, true,
      false, false, 1, false, '{"consumable":{"usages_count":null},"expiration_period":null}'::jsonb)
    RETURNING item_id`.execute(db);
  const vcId = vcRows[0].item_id;

  const skus: string[] = [];
  const vcItemSkus: string[] = [];
  const limitedSkus: string[] = [];
  for (let start = 0; start < spec.items; start += BATCH) {
    const n = Math.min(BATCH, spec.items - start);
    const idx = Array.from({ length: n }, (_, k) => start + k);
    const batchSkus = idx.map(skuOf);
    skus.push(...batchSkus);
    const names = idx.map((i) =>
      JSON.stringify(Object.fromEntries(LOCALES.map((l) => [l, `${WORD[l][0]} ${i}`]))),
    );
    const descriptions = idx.map((i) =>
      JSON.stringify(Object.fromEntries(LOCALES.map((l) => [l, `${WORD[l][1]} ${i}.`]))),
    );
    const images = idx.map((i) => `https://cdn.example.com/bench/items/${i}.png`);
    const orders = idx.map((i) => i + 1);
    const { rows } = await sql<{ item_id: number; sku: string }>`
      INSERT INTO items (project_id, sku, type, name, description, image_url, is_enabled, is_show_in_store,
        is_free, is_paid_randomized_reward, "order", virtual_item_type, inventory_options)
      SELECT ${projectId}, s, 'virtual_good', nm::jsonb, d::jsonb, img, true, true, false, false, o, 'consumable',
        '{"consumable":{"usages_count":null},"expiration_period":null}'::jsonb
      FROM unnest(${batchSkus}::text[], ${names}::text[], ${descriptions}::text[], ${images}::text[],
        ${orders}::int[]) AS t(s, nm, d, img, o)
      RETURNING item_id, sku`.execute(db);
    const idBySku = new Map(rows.map((r) => [r.sku, r.item_id]));
    const ids = idx.map((i) => idBySku.get(skuOf(i))!);

    const p = { item: [] as number[], pos: [] as number[], amount: [] as string[], cur: [] as string[] };
    const country: (string | null)[] = [];
    const def: boolean[] = [];
    for (const [k, id] of ids.entries()) {
      const usd = 0.99 + Math.floor(rnd() * 9900) / 100;
      const list: [string, string | null, number][] = [
        ['USD', null, usd],
        ['EUR', 'DE', usd * 0.92],
        ['GBP', 'GB', usd * 0.79],
      ];
      for (const [pos, [cur, iso, amount]] of list.entries()) {
        p.item.push(id);
        p.pos.push(pos);
        p.amount.push(amount.toFixed(2));
        p.cur.push(cur);
        country.push(iso);
        def.push(pos === 0);
      }
      void k;
    }
    await sql`
      INSERT INTO item_prices (item_id, position, amount, currency, country_iso, is_default, is_enabled)
      SELECT i, p, a::numeric, c, ci, d, true
      FROM unnest(${p.item}::int[], ${p.pos}::int[], ${p.amount}::text[], ${p.cur}::text[], ${country}::text[],
        ${def}::bool[]) AS t(i, p, a, c, ci, d)`.execute(db);

    const links = idx.map((i) => groupIds[i % groupIds.length]);
    const inGroup = idx.map((i) => Math.floor(i / groupIds.length) + 1);
    await sql`
      INSERT INTO item_group_links (item_id, group_id, item_order_in_group)
      SELECT * FROM unnest(${ids}::int[], ${links}::int[], ${inGroup}::int[])`.execute(db);

    const limited = idx.filter((i) => i % 10 === 0);
    if (limited.length) {
      limitedSkus.push(...limited.map(skuOf));
      await sql`
        INSERT INTO item_limits (item_id, per_user_total, limit_exceeded_visibility)
        SELECT i, 5, 'show' FROM unnest(${limited.map((i) => idBySku.get(skuOf(i))!)}::int[]) AS t(i)`.execute(
        db,
      );
    }
    const withVc = idx.filter((i) => i % 20 === 5);
    if (withVc.length) {
      vcItemSkus.push(...withVc.map(skuOf));
      await sql`
        INSERT INTO item_vc_prices (item_id, position, currency_item_id, amount, is_default, is_enabled)
        SELECT i, 0, ${vcId}, 100, false, true
        FROM unnest(${withVc.map((i) => idBySku.get(skuOf(i))!)}::int[]) AS t(i)`.execute(db);
    }
  }

  // W4: a flash-sale item with a global stock, listed after the catalog items.
  const flashSku = 'bench_flash';
  const { rows: flashRows } = await sql<{ item_id: number }>`
    INSERT INTO items (project_id, sku, type, name, is_enabled, is_show_in_store, is_free,
      is_paid_randomized_reward, "order", virtual_item_type, inventory_options)
    VALUES (${projectId}, ${flashSku}, 'virtual_good', ${JSON.stringify({ en: 'Flash sale' })}::jsonb, true, true,
      false, false, ${spec.items + 1}, 'consumable',
      '{"consumable":{"usages_count":null},"expiration_period":null}'::jsonb)
    RETURNING item_id`.execute(db);
  await sql`
    INSERT INTO item_prices (item_id, position, amount, currency, country_iso, is_default, is_enabled)
    VALUES (${flashRows[0].item_id}, 0, 4.99, 'USD', NULL, true, true)`.execute(db);
  await sql`
    INSERT INTO item_limits (item_id, per_user_total, limit_exceeded_visibility, per_item_total, per_item_remaining)
    VALUES (${flashRows[0].item_id}, NULL, 'show', ${spec.flashStock}, ${spec.flashStock})`.execute(db);

  // W5: a DRM-free game key with a pool of codes (the admin path, so the rows are what the API writes).
  const gameSku = 'bench_game';
  const keySku = 'bench_game_key';
  await services.games.create(projectId, {
    sku: gameSku,
    name: { en: 'Bench game' },
    unit_items: [
      {
        sku: keySku,
        drm_sku: 'drmfree',
        prices: [{ amount: 9.99, currency: 'USD', is_default: true, is_enabled: true }],
      },
    ],
  } as never);
  const key = await db
    .selectFrom('items')
    .select('item_id')
    .where('project_id', '=', projectId)
    .where('sku', '=', keySku)
    .executeTakeFirstOrThrow();
  const codes = Array.from(
    { length: spec.keyPool },
    (_, i) => `BENCH-${spec.seed}-${String(i).padStart(7, '0')}`,
  );
  await gamesRepository.insertCodes(db, {
    projectId,
    itemId: key.item_id,
    regionId: null,
    sessionId: 'bench',
    codes,
  });

  // The index a plain LIMIT/OFFSET implementation would add for its ORDER BY (bench database only; Itemshop's
  // catalog reads do not query), then fresh statistics for the planner.
  await sql`CREATE INDEX IF NOT EXISTS bench_items_catalog_order
    ON items (project_id, type, "order", created_at DESC, item_id DESC)`.execute(db);
  await sql`ANALYZE`.execute(db);

  // Bump the version once: the catalog is new.
  await services.catalogWriter.run(projectId, {}, async () => undefined);

  const tokens = Array.from({ length: spec.users }, (_, u) =>
    mintToken(project.jwt_secret, `user_${String(u).padStart(5, '0')}`),
  );
  return {
    spec,
    merchantId,
    projectId,
    apiKey,
    jwtSecret: project.jwt_secret,
    skus,
    vcItemSkus,
    limitedSkus,
    groups,
    vcSku,
    flashSku,
    gameSku,
    keySku,
    tokens,
    codes,
    seconds: (performance.now() - started) / 1000,
  };
}
