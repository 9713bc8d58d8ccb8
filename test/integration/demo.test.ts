/**
 * The demo store (src/demo): what `itemshop serve --demo` creates in project 59080, that the catalog serves it,
 * that seeding twice changes nothing, that the printed key is replaced on every start without a data directory to
 * keep it in, and kept across starts with one (issue 15 item 5).
 * Runs on the worker's shared database; project 59080 is used by this file only.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { DEMO_BUNDLES, DEMO_STORE, seedDemo } from '../../src/demo/seed.js';
import { DEMO_CREDENTIALS_FILE, formatDemoBanner, issueDemoCredentials } from '../../src/demo/credentials.js';
import {
  VIRTUAL_CURRENCY,
  VIRTUAL_CURRENCY_PACKAGE,
  VIRTUAL_GOOD,
  type ItemKind,
} from '../../src/modules/items/service.js';
import { catalogGet, createTenant, testApp } from '../helpers/app.js';

const DEMO = 59080;
let app: FastifyInstance;

/**
 * A persistent test database (TEST_DATABASE_URL) keeps project 59080 from an earlier run, seeded from an older
 * demo-store.json: drop it so the seed under test runs. Items priced in or holding other items of the project
 * are unlinked first (those references restrict deletes).
 */
async function dropDemoProject() {
  const { db } = app.services.database;
  const items = db.selectFrom('items').select('item_id').where('project_id', '=', DEMO);
  await db.deleteFrom('item_vc_prices').where('item_id', 'in', items).execute();
  await db.deleteFrom('bundle_contents').where('bundle_item_id', 'in', items).execute();
  await db.deleteFrom('projects').where('project_id', '=', DEMO).execute();
}

beforeAll(async () => {
  app = await testApp();
  await dropDemoProject();
  await seedDemo(app.services);
});
afterAll(async () => app.close());

const skusOf = async (kind: ItemKind) =>
  (await app.services.items.list(DEMO, kind, { limit: 50, offset: 0 })).map((r) => r.sku).sort();

/** The goods of the seeds' catalog example: USD price and price in gold / silver / bronze. */
const GOODS: [string, string, string, number, number, number][] = [
  ['sword', 'Sword', '1.99', 2, 5, 50],
  ['saber', 'Saber', '3.99', 3, 7, 70],
  ['bow', 'Bow', '4.99', 5, 10, 100],
  ['electric_shield', 'Electric shield', '9.99', 10, 20, 200],
  ['royal_shield', 'Royal shield', '19.99', 20, 40, 400],
  ['ancient_helmet', 'Ancient helmet', '1.99', 2, 4, 40],
  ['wooden_helmet', 'Wooden helmet', '0.99', 1, 2, 20],
];

describe('demo store seed', () => {
  it('creates project 59080 with exactly 3 currencies, 3 currency packages and 7 virtual goods', async () => {
    expect(await app.services.tenancy.getProject(DEMO)).toBeDefined();
    expect(await skusOf(VIRTUAL_CURRENCY)).toEqual(['bronze', 'gold', 'silver']);
    expect(await skusOf(VIRTUAL_CURRENCY_PACKAGE)).toEqual(['bronze_chest', 'gold_chest', 'silver_chest']);
    expect(await skusOf(VIRTUAL_GOOD)).toEqual(GOODS.map(([sku]) => sku).sort());
  });

  it('serves the 7 goods in the catalog with their USD and virtual-currency prices', async () => {
    const res = await catalogGet(app, DEMO, '/items/virtual_items');
    expect(res.statusCode).toBe(200);
    const items = res.json().items as Record<string, unknown>[];
    expect(items.map((i) => i.sku)).toEqual(GOODS.map(([sku]) => sku));
    for (const [i, [sku, name, usd, gold, silver, bronze]] of GOODS.entries()) {
      expect(items[i]).toMatchObject({
        sku,
        name,
        description: name,
        type: 'virtual_good',
        virtual_item_type: 'non_consumable',
        price: { amount: usd, amount_without_discount: usd, currency: 'USD' },
        can_be_bought: true,
      });
      expect(items[i].image_url).toBe(`http://localhost:8080/static/demo/${sku}.png`); // Itemshop's own
      const vc = (items[i].virtual_prices as { sku: string; amount: number; is_default: boolean }[]).map(
        (p) => [p.sku, p.amount, p.is_default],
      );
      expect(vc).toEqual([
        ['gold', gold, true],
        ['silver', silver, false],
        ['bronze', bronze, false],
      ]);
    }
  });

  it('sells each chest as a package of one currency', async () => {
    const res = await catalogGet(app, DEMO, '/items/virtual_currency/package');
    expect(res.statusCode).toBe(200);
    const chests = (
      res.json().items as {
        sku: string;
        price: { amount: string };
        content: { sku: string; quantity: number }[];
      }[]
    ).map((p) => [p.sku, p.price.amount, p.content.map((c) => [c.sku, c.quantity])]);
    expect(chests).toEqual([
      ['gold_chest', '7.99', [['gold', 10]]],
      ['silver_chest', '19.99', [['silver', 50]]],
      ['bronze_chest', '5.99', [['bronze', 100]]],
    ]);
    const currencies = await catalogGet(app, DEMO, '/items/virtual_currency');
    expect(
      (currencies.json().items as { sku: string; price: { amount: string } }[]).map((c) => [
        c.sku,
        c.price.amount,
      ]),
    ).toEqual([
      ['gold', '1.00'],
      ['silver', '0.50'],
      ['bronze', '0.10'],
    ]);
  });

  it('puts the goods in the groups swords, bows and armour, armour in the order of the seeds (X3)', async () => {
    const armour = await catalogGet(
      app,
      DEMO,
      '/items/virtual_items/group/armour?additional_fields[]=item_order_in_group',
    );
    expect(armour.statusCode).toBe(200);
    const items = armour.json().items as { sku: string; groups: unknown[] }[];
    expect(items.map((i) => i.sku)).toEqual([
      'electric_shield',
      'royal_shield',
      'ancient_helmet',
      'wooden_helmet',
    ]);
    expect(items[0].groups).toEqual([{ external_id: 'armour', name: 'Armour', item_order_in_group: 1 }]);
    const skus = async (group: string) =>
      ((await catalogGet(app, DEMO, `/items/group/${group}`)).json().items as { sku: string }[]).map(
        (i) => i.sku,
      );
    expect(await skus('swords')).toEqual(['sword', 'saber']);
    expect(await skus('bows')).toEqual(['bow']);
  });

  it('lists its groups in the catalog, in their order', async () => {
    const res = await app.inject({ method: 'GET', url: `/api/v2/project/${DEMO}/items/groups` });
    expect(res.statusCode).toBe(200);
    expect(
      (res.json().groups as { external_id: string; name: string; level: number; children: unknown[] }[]).map(
        (g) => [g.external_id, g.name, g.level, g.children],
      ),
    ).toEqual([
      ['swords', 'Swords', 0, []],
      ['bows', 'Bows', 0, []],
      ['armour', 'Armour', 0, []],
    ]);
  });

  it('gives the sword and the wooden helmet a material attribute', async () => {
    const materials = Object.fromEntries(
      (
        (await catalogGet(app, DEMO, '/items/virtual_items')).json().items as {
          sku: string;
          attributes: { external_id: string; values: { value: string }[] }[];
        }[]
      ).map((i) => [
        i.sku,
        i.attributes.map((a) => `${a.external_id}=${a.values.map((v) => v.value).join('|')}`),
      ]),
    );
    expect(materials).toMatchObject({
      sword: ['material=Steel'],
      wooden_helmet: ['material=Wood'],
      saber: [],
      bow: [],
    });
  });

  it("sells the seeds' two standard bundles with their content and total content price (X2)", async () => {
    const res = await catalogGet(app, DEMO, '/items/bundle');
    expect(res.statusCode).toBe(200);
    const bundles = (
      res.json().items as {
        sku: string;
        name: string;
        price: { amount: string };
        total_content_price: { amount: string; currency: string };
        content: { sku: string; quantity: number }[];
        virtual_prices: { sku: string; amount: number }[];
      }[]
    ).map((b) => [
      b.sku,
      b.name,
      b.price.amount,
      b.total_content_price.amount,
      b.content.map((c) => [c.sku, c.quantity]),
      b.virtual_prices.map((p) => [p.sku, p.amount]),
    ]);
    expect(bundles).toEqual([
      [
        'armor_chest',
        'Chest of armor',
        '19.99',
        '11.98',
        [
          ['electric_shield', 1],
          ['ancient_helmet', 1],
        ],
        [
          ['gold', 20],
          ['silver', 40],
          ['bronze', 400],
        ],
      ],
      [
        'treasure_chest',
        'Treasure Chest',
        '9.99',
        '802.89',
        [
          ['saber', 1],
          ['silver_chest', 10],
          ['bronze_chest', 100],
        ],
        [
          ['gold', 10],
          ['silver', 20],
          ['bronze', 40],
        ],
      ],
    ]);
  });

  it('gives every content entry of the treasure chest virtual_item_type and inventory_options', async () => {
    const res = await catalogGet(app, DEMO, '/items/bundle/sku/treasure_chest');
    expect(res.statusCode).toBe(200);
    const entries = (res.json().content as Record<string, unknown>[]).map((c) => [
      c.sku,
      c.type,
      c.virtual_item_type,
      c.inventory_options,
    ]);
    const none = { consumable: null, expiration_period: null };
    expect(entries).toEqual([
      ['saber', 'virtual_good', 'non_consumable', none],
      ['silver_chest', 'bundle', 'non_consumable', none],
      ['bronze_chest', 'bundle', 'non_consumable', none],
    ]);
  });

  it('changes nothing when it runs again (the catalog version stays the same)', async () => {
    const before = await catalogGet(app, DEMO, '/items');
    const again = await seedDemo(app.services);
    expect(again).toMatchObject({ created: false, projectId: DEMO, skus: [] });
    const after = await catalogGet(app, DEMO, '/items');
    expect(after.headers.etag).toBeDefined();
    expect(after.headers.etag).toBe(before.headers.etag);
    expect(after.body).toBe(before.body);
  });

  it('holds only bodies the admin API accepts as they are', async () => {
    const t = await createTenant(app);
    const sections: [string, unknown[]][] = [
      ['/admin/items/groups', DEMO_STORE.groups ?? []],
      ['/admin/items/virtual_currency', DEMO_STORE.virtual_currencies],
      ['/admin/items/virtual_currency/package', DEMO_STORE.virtual_currency_packages],
      ['/admin/items/virtual_items', DEMO_STORE.virtual_items],
      ['/admin/items/bundle', DEMO_BUNDLES],
    ];
    for (const [path, bodies] of sections) {
      for (const body of bodies) {
        const res = await t.adminCall('POST', path, body);
        expect(res.statusCode, `${path} ${res.body}`).toBe(201);
      }
    }
  });
});

describe('demo credentials', () => {
  it('replaces the demo key on every start: the previous key stops working, the new one opens the project', async () => {
    const { tenancy } = app.services;
    const first = await issueDemoCredentials(tenancy, DEMO);
    expect(await tenancy.verifyProjectKey(DEMO, first.apiKey)).toBe(true);
    const second = await issueDemoCredentials(tenancy, DEMO);
    expect(await tenancy.verifyProjectKey(DEMO, first.apiKey)).toBe(false);
    expect(await tenancy.verifyProjectKey(DEMO, second.apiKey)).toBe(true);

    const admin = await app.inject({
      method: 'GET',
      url: `/api/v2/project/${DEMO}/admin/items/virtual_items`,
      headers: { authorization: `Basic ${Buffer.from(`${DEMO}:${second.apiKey}`).toString('base64')}` },
    });
    expect(admin.statusCode).toBe(200);
    const user = await tenancy.verifyUserToken((await tenancy.getProject(DEMO))!, second.userToken);
    expect(user.userId).toBe('demo-user');
  });

  it('keeps the key and JWT in the given file across starts, and replaces what no longer works', async () => {
    const { tenancy } = app.services;
    const file = join(mkdtempSync(join(tmpdir(), 'itemshop-demo-')), DEMO_CREDENTIALS_FILE);
    try {
      const first = await issueDemoCredentials(tenancy, DEMO, undefined, file);
      const again = await issueDemoCredentials(tenancy, DEMO, undefined, file);
      expect(again).toMatchObject({ apiKey: first.apiKey, userToken: first.userToken, keptIn: file });
      expect(await tenancy.verifyProjectKey(DEMO, first.apiKey)).toBe(true);
      // A start without the file (another data directory) revokes the kept key: the next start replaces it.
      await issueDemoCredentials(tenancy, DEMO);
      const replaced = await issueDemoCredentials(tenancy, DEMO, undefined, file);
      expect(replaced.apiKey).not.toBe(first.apiKey);
      expect(replaced.userToken).toBe(first.userToken);
      expect(await tenancy.verifyProjectKey(DEMO, replaced.apiKey)).toBe(true);
      expect(JSON.parse(readFileSync(file, 'utf8'))).toMatchObject({ api_key: replaced.apiKey });
      // A file that is not JSON is replaced.
      writeFileSync(file, 'not json');
      const rewritten = await issueDemoCredentials(tenancy, DEMO, undefined, file);
      expect(await tenancy.verifyProjectKey(DEMO, rewritten.apiKey)).toBe(true);
      expect(formatDemoBanner(rewritten, 'http://localhost:8080')).toContain(`kept in plain text in ${file}`);
    } finally {
      rmSync(dirname(file), { recursive: true, force: true });
    }
  });

  it('prints the project, key, token and curl lines', async () => {
    const c = await issueDemoCredentials(app.services.tenancy, DEMO);
    const banner = formatDemoBanner(c, 'http://localhost:8080');
    expect(banner).toContain('project 59080');
    expect(banner).toContain(c.apiKey);
    expect(banner).toContain(c.userToken);
    expect(banner).toContain('curl http://localhost:8080/api/v2/project/59080/items/virtual_items');
    expect(banner).toContain(
      `curl -u 59080:${c.apiKey} http://localhost:8080/api/v2/project/59080/admin/items/virtual_items`,
    );
    expect(banner).toContain('http://localhost:8080/docs');
  });
});
