/**
 * The group `all` (issue 11 item 4; docs/decisions/0022-group-all.md): the spec's default of `{external_id}` in
 * every `…/group/{external_id}` read, and what the Cocos SDK asks for when no group is chosen. Without a group of
 * that id it means every item the read would list without a group (same items, same order), client and admin;
 * a project's own group `all` is read like any other group; other unknown groups stay 404/4403.
 */
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { catalogGet, createTenant, testApp, type Tenant } from '../helpers/app.js';
import { gameBody, uploadCodes } from './games-helpers.js';

let app: FastifyInstance;
let t: Tenant;

const price = [{ amount: 2, currency: 'USD', is_default: true }];

async function must(res: { statusCode: number; body: string }, status: number) {
  expect(res.statusCode, res.body).toBe(status);
  return res.body ? JSON.parse(res.body) : undefined;
}

beforeAll(async () => {
  app = await testApp();
  t = await createTenant(app);
  await must(
    await t.adminCall('POST', '/admin/items/groups', { external_id: 'swords', name: { en: 'S' } }),
    201,
  );
  const item = (sku: string, groups: string[]) =>
    t.adminCall('POST', '/admin/items/virtual_items', { sku, name: { en: sku }, prices: price, groups });
  await must(await item('blade', ['swords']), 201);
  await must(await item('rope', []), 201);
  await must(await item('torch', []), 201);
  await must(
    await t.adminCall('POST', '/admin/items/virtual_currency', {
      sku: 'gold',
      name: { en: 'G' },
      description: { en: 'Gold' },
    }),
    201,
  );
  await must(
    await t.adminCall('POST', '/admin/items/bundle', {
      sku: 'kit',
      name: { en: 'Kit' },
      description: { en: 'A kit' },
      is_show_in_store: true, // bundles are hidden by default
      prices: price,
      content: [{ sku: 'rope', quantity: 1 }],
    }),
    201,
  );
  await must(await t.adminCall('POST', '/admin/items/game', gameBody('quest')), 201);
  await must(await uploadCodes(app, t, 'sku/quest_steam', ['K-1']), 200);
});
afterAll(async () => app.close());

const skus = async (path: string, tenant = t) =>
  ((await must(await catalogGet(app, tenant.projectId, path), 200)).items as { sku: string }[]).map(
    (i) => i.sku,
  );

describe('client reads of …/group/all without a group `all`', () => {
  const pairs: [string, string][] = [
    ['/items/group/all', '/items'],
    ['/items/virtual_items/group/all', '/items/virtual_items'],
    ['/items/bundle/group/all', '/items/bundle'],
    ['/items/game/group/all', '/items/game'],
  ];
  for (const [grouped, plain] of pairs) {
    it(`${grouped} lists what ${plain} lists, in the same order`, async () => {
      const all = await skus(grouped);
      expect(all.length).toBeGreaterThan(0);
      expect(all).toEqual(await skus(plain));
    });
  }

  it('/items/virtual_items/group/all includes items of no group', async () => {
    expect(await skus('/items/virtual_items/group/all')).toEqual(
      expect.arrayContaining(['blade', 'rope', 'torch']),
    );
  });

  it('/items/game/key/group/all lists the sellable game keys', async () => {
    expect(await skus('/items/game/key/group/all')).toEqual(expect.arrayContaining(['quest_steam']));
  });

  it('pages like any list', async () => {
    const page = await must(
      await catalogGet(app, t.projectId, '/items/virtual_items/group/all?limit=2'),
      200,
    );
    expect(page.items).toHaveLength(2);
    expect(page.has_more).toBe(true);
  });

  it('another unknown group is still 404/4403', async () => {
    const res = await catalogGet(app, t.projectId, '/items/virtual_items/group/everything');
    expect(res.statusCode).toBe(404);
    expect(res.json().errorCode).toBe(4403);
  });
});

describe('admin reads of …/group/external_id/all', () => {
  const adminSkus = async (path: string, tenant = t) =>
    ((await must(await tenant.adminCall('GET', path), 200)).items as { sku: string }[]).map((i) => i.sku);

  it('virtual items: every virtual item, as the ungrouped admin list', async () => {
    const all = await adminSkus('/admin/items/virtual_items/group/external_id/all');
    expect(all).toEqual(expect.arrayContaining(['blade', 'rope', 'torch']));
    expect(all).toEqual(await adminSkus('/admin/items/virtual_items'));
  });

  it('bundles: every bundle', async () => {
    expect(await adminSkus('/admin/items/bundle/group/external_id/all')).toEqual(['kit']);
  });
});

describe('a project with its own group `all`', () => {
  it('reads that group, client and admin', async () => {
    const own = await createTenant(app);
    await must(
      await own.adminCall('POST', '/admin/items/groups', { external_id: 'all', name: { en: 'All' } }),
      201,
    );
    for (const [sku, groups] of [
      ['featured', ['all']],
      ['hidden_gem', []],
    ] as const) {
      await must(
        await own.adminCall('POST', '/admin/items/virtual_items', {
          sku,
          name: { en: sku },
          prices: price,
          groups,
        }),
        201,
      );
    }
    expect(await skus('/items/virtual_items/group/all', own)).toEqual(['featured']);
    const admin = await must(
      await own.adminCall('GET', '/admin/items/virtual_items/group/external_id/all'),
      200,
    );
    expect(admin.items.map((i: { sku: string }) => i.sku)).toEqual(['featured']);
  });
});
